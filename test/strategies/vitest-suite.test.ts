// A real vitest suite validated in a sandbox, with node_modules shared through
// sandbox.linkPaths (the repository's node_modules is a symlink to this project's).
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrategy } from '../../strategies/run-strategy.js';
import { changeSet, makeSandboxFixture, silentLogger, type SandboxFixture } from '../sandbox/support/sandbox-fixtures.js';

const vitestFile = (name: string, expectation: string) =>
  `import { expect, it } from 'vitest';\nimport { slugify } from '../src/slugify.js';\nit(${JSON.stringify(name)}, () => {\n  ${expectation}\n});\n`;

let fixture: SandboxFixture;
beforeAll(async () => {
  fixture = await makeSandboxFixture(
    {
      '.gitignore': 'node_modules\n',
      'package.json': JSON.stringify({ name: 'sample', type: 'module', private: true }),
      'src/slugify.ts': "export const slugify = (text: string) => text.trim().toLowerCase().replace(/\\s+/g, '-');\n",
      'test/slugify.test.ts': vitestFile('joins words with dashes', "expect(slugify(' Hello World ')).toBe('hello-world');"),
      'test/lower.test.ts': vitestFile('lowercases', "expect(slugify('ABC')).toBe('abc');"),
    },
    { validation: { tests: { command: 'node node_modules/vitest/vitest.mjs run --no-color {files}', workers: 2, retryFailed: false } } },
  );
  await symlink(path.resolve('node_modules'), path.join(fixture.repo.root, 'node_modules'), 'dir');
});
afterAll(async () => {
  await fixture.repo.remove();
});

describe('a vitest suite in a sandbox', () => {
  it('names the failing vitest test in the output tail', async () => {
    const sandbox = await fixture.pool.acquire('HEAD', AbortSignal.timeout(30_000));
    try {
      const changes = changeSet({ 'src/slugify.ts': "export const slugify = (text: string) => text.trim().toLowerCase().replace(/\\s+/g, '_');\n" });
      await sandbox.materialize(changes);
      const result = await runStrategy('SYNTAX_AND_TESTS', { sandbox, changes, config: fixture.config, signal: AbortSignal.timeout(120_000), logger: silentLogger });
      expect([result.reason, result.failedStep]).toEqual(['TESTS_FAILED', 'tests']);
      expect(result.steps.at(-1)!.outputTail).toMatch(/FAIL +test\/slugify\.test\.ts > joins words with dashes/);
    } finally {
      fixture.pool.release(sandbox);
    }
  });

  it('passes a good change', async () => {
    const sandbox = await fixture.pool.acquire('HEAD', AbortSignal.timeout(30_000));
    try {
      const changes = changeSet({ 'test/slugify.test.ts': vitestFile('collapses spaces', "expect(slugify('a   b')).toBe('a-b');") });
      await sandbox.materialize(changes);
      const result = await runStrategy('CREATE_NEW_TEST_FILE', { sandbox, changes, config: fixture.config, signal: AbortSignal.timeout(120_000), logger: silentLogger });
      expect([result.ok, result.steps.map((step) => step.step)]).toEqual([true, ['syntax', 'typecheck', 'tests']]);
      expect(result.steps[2]!.outputTail.split('\n')[0]).toBe('1 affected test file(s) with 1 more in 1 parallel shard(s) passed');
    } finally {
      fixture.pool.release(sandbox);
    }
  });
});
