// The sample project `hephaestus demo` evolves: a small JavaScript module checked by TypeScript
// (`// @ts-check`, allowJs/checkJs) with node:test tests that run without installing anything,
// and three real defects the offline engine can see: a missing `await` (a test catches it), an
// unused import and an unused variable. Kept as strings so the package ships it inside dist/.

export const SAMPLE_DEFECTS = 3;

export const SAMPLE_FILES: Readonly<Record<string, string>> = {
  'package.json': `${JSON.stringify({ name: 'hephaestus-demo', version: '1.0.0', private: true, type: 'module', scripts: { test: 'node --test test/' } }, null, 2)}\n`,

  'tsconfig.json': `${JSON.stringify(
    {
      compilerOptions: { allowJs: true, checkJs: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true },
      include: ['src', 'test'],
    },
    null,
    2,
  )}\n`,

  'README.md': `# Inventory (Hephaestus demo)

A tiny inventory module: look items up, check stock, describe them with prices.

- \`src/inventory.js\`: the catalog, \`findItem\`, \`stockOf\`, \`canOrder\`, \`describeItem\`
- \`src/format.js\`: \`formatPrice\`
- \`npm test\` (or \`node --test test/\`) runs the tests; nothing to install.
`,

  'src/format.js': `// @ts-check
// Prices are kept in cents and shown in dollars.

/**
 * @param {number} cents
 * @returns {string}
 */
export function formatPrice(cents) {
  const dollars = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, '0');
  return \`$\${dollars}.\${rest}\`;
}
`,

  'src/inventory.js': `// @ts-check
// The catalog and the questions a shop asks it.
import { readFile } from 'node:fs/promises';
import { formatPrice } from './format.js';

/** @typedef {{ sku: string, name: string, price: number, stock: number }} Item */

/** @type {Item[]} */
const CATALOG = [
  { sku: 'A1', name: 'Anvil', price: 12_999, stock: 3 },
  { sku: 'H2', name: 'Hammer', price: 2_450, stock: 0 },
  { sku: 'T3', name: 'Tongs', price: 1_275, stock: 12 },
];

/**
 * Looks an item up the way a remote store would: asynchronously.
 * @param {string} sku
 * @returns {Promise<Item | undefined>}
 */
export async function findItem(sku) {
  return CATALOG.find((item) => item.sku === sku);
}

/**
 * @param {string} sku
 * @returns {Promise<number>} 0 for an unknown SKU
 */
export async function stockOf(sku) {
  const item = await findItem(sku);
  return item ? item.stock : 0;
}

/**
 * @param {string} sku
 * @param {number} quantity
 * @returns {Promise<boolean>}
 */
export async function canOrder(sku, quantity) {
  const stock = stockOf(sku);
  return stock >= quantity;
}

/**
 * @param {Item} item
 * @returns {string}
 */
export function describeItem(item) {
  const separator = ' - ';
  const availability = item.stock > 0 ? \`\${item.stock} in stock\` : 'sold out';
  return \`\${item.name}: \${formatPrice(item.price)} (\${availability})\`;
}
`,

  'test/format.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPrice } from '../src/format.js';

test('formatPrice shows cents as dollars', () => {
  assert.equal(formatPrice(12_999), '$129.99');
  assert.equal(formatPrice(5), '$0.05');
});
`,

  'test/inventory.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canOrder, describeItem, findItem, stockOf } from '../src/inventory.js';

test('findItem finds an item by SKU', async () => {
  assert.equal((await findItem('T3'))?.name, 'Tongs');
  assert.equal(await findItem('Z9'), undefined);
});

test('stockOf counts what is left', async () => {
  assert.equal(await stockOf('T3'), 12);
  assert.equal(await stockOf('Z9'), 0);
});

test('canOrder checks the stock', async () => {
  assert.equal(await canOrder('A1', 2), true);
  assert.equal(await canOrder('A1', 4), false);
  assert.equal(await canOrder('H2', 1), false);
  assert.equal(await canOrder('Z9', 1), false);
});

test('describeItem shows price and availability', () => {
  assert.equal(describeItem({ sku: 'H2', name: 'Hammer', price: 2_450, stock: 0 }), 'Hammer: $24.50 (sold out)');
});
`,
};

/** hephaestus.config.json for the sample: node:test, no typecheck command (nothing is installed). */
export function sampleConfig(): string {
  const config = {
    llm: { provider: 'offline' },
    git: { branch: 'hephaestus/evolve' },
    sandbox: { linkPaths: [] },
    validation: {
      typecheck: { command: null },
      tests: { command: 'node --test {files}', files: ['test/**/*.test.js'], timeoutMs: 60_000 },
    },
    strategies: { default: 'SYNTAX_AND_TESTS' },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
