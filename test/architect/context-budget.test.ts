// What the Architect's prompt carries of a real CommonJS library (picomatch's layout, made in the
// test): named files in full, a 35k import neighbour and a 12k test as outlines, one nearby test
// as a style example when the plan adds a test, no block twice, all within the budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArchitectPrompt } from '../../agent/architect/build-architect-prompt.js';
import { configSchema } from '../../agent/config/schema.js';
import { renderManifest } from '../../agent/manifest/render-manifest.js';
import { scanRepository } from '../../agent/scanner/scan-repository.js';
import type { ScanResult } from '../../agent/scanner/scan-types.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';
import { PROMPTS_DIR } from './architect-kit.js';

/** A parser module of about 35,000 characters: twelve distinct functions with real bodies. */
function parserModule(): string {
  const lines = ["'use strict';", '', "const constants = require('./constants');", "const utils = require('./utils');", ''];
  for (let index = 0; index < 12; index++) {
    lines.push(`/** Parses token kind ${index}. */`, `function parseKind${index}(input, state) {`, `  const limit = constants.MAX_LENGTH - ${index};`);
    for (let step = 0; step < 22; step++) lines.push(`  if (input.charCodeAt(state.index) === ${(index * 22 + step) % 128}) { state.output += utils.escapeRegex(input[state.index]); state.index += ${step + 1}; }`);
    lines.push('  return state.index < limit ? state : null;', '}', '');
  }
  lines.push('/** Parses a glob pattern into a regex source. */', 'function parse(input, options = {}) {', '  const state = { index: 0, output: "" };', ...Array.from({ length: 12 }, (_, index) => `  parseKind${index}(input, state);`), '  return state;', '}', '', 'module.exports = parse;', '');
  return lines.join('\n');
}

/** A test file of about 12,000 characters. */
function bigTest(): string {
  const cases = Array.from({ length: 110 }, (_, index) => `  it('escapes sample ${index}', () => assert.equal(utils.escapeRegex('a.${index}'), 'a\\\\.${index}'));`);
  return ["'use strict';", '', "const assert = require('assert');", "const utils = require('../lib/utils');", '', "describe('utils (many cases)', () => {", ...cases, '});', ''].join('\n');
}

const FILES: Record<string, string> = {
  'package.json': '{ "name": "globber", "main": "index.js", "scripts": { "test": "mocha" } }\n',
  'index.js': "'use strict';\n\nmodule.exports = require('./lib/picomatch');\n",
  'lib/constants.js': "'use strict';\n\n/** Limits of the parser. */\nexports.MAX_LENGTH = 65536;\n",
  'lib/utils.js': "'use strict';\n\nconst { MAX_LENGTH } = require('./constants');\n\nexports.escapeRegex = str => str.replace(/[-*+?.^${}(|)[\\]]/g, '\\\\$&');\nexports.basename = (path, { windows } = {}) => path.split(windows ? /[\\\\/]/ : '/').pop();\nexports.tooLong = str => str.length > MAX_LENGTH;\n",
  'lib/parse.js': parserModule(),
  'lib/picomatch.js': "'use strict';\n\nconst parse = require('./parse');\nconst utils = require('./utils');\n\n/** Returns a matcher function for a glob. */\nconst picomatch = (glob, options) => {\n  const state = parse(glob, options);\n  return input => new RegExp(state.output).test(utils.basename(input));\n};\n\nmodule.exports = picomatch;\n",
  'test/utils.js': "'use strict';\n\nconst assert = require('assert');\nconst utils = require('../lib/utils');\n\ndescribe('utils.basename', () => {\n  it('returns the last segment', () => {\n    assert.equal(utils.basename('a/b/c.js'), 'c.js');\n  });\n});\n",
  'test/many.js': bigTest(),
  'test/api.js': "'use strict';\n\nconst assert = require('assert');\nconst picomatch = require('..');\n\ndescribe('picomatch', () => {\n  it('matches', () => assert(picomatch('*.js')('a.js')));\n});\n",
};

/** The test files as `init` detects them for such a repository. */
const TESTS = { validation: { tests: { files: ['test/*.{js,cjs,mjs}'] } } };

it('the parser module is the size of picomatch\'s lib/parse.js', () => {
  expect(FILES['lib/parse.js']!.length).toBeGreaterThan(34_000);
  expect(FILES['lib/parse.js']!.length).toBeLessThan(36_000);
});

let repo: TempRepo;
let scan: ScanResult;
let manifest: string;

beforeAll(async () => {
  repo = await makeTempRepo(FILES);
  scan = await scanRepository(repo.root, { config: configSchema.parse(TESTS) });
  manifest = renderManifest(scan);
});
afterAll(() => repo.remove());

async function prompt(objective: string, contextTokens = 24_000) {
  const config = configSchema.parse({ ...TESTS, prompts: { dir: PROMPTS_DIR }, architect: { contextTokens } });
  const built = await buildArchitectPrompt({ objective: { text: objective }, scan, manifest, lessons: [] }, { repoRoot: repo.root, config });
  const text = [...built.system.map((block) => block.text), built.objective].join('\n\n');
  return { built, text, files: built.context.files.map((file) => [file.path, file.reason, file.form]) };
}

/** Paragraphs (text between blank lines) of at least 40 characters that occur more than once. */
function repeatedBlocks(text: string): string[] {
  const seen = new Map<string, number>();
  for (const block of text.split(/\n\s*\n/).map((part) => part.trim())) if (block.length >= 40) seen.set(block, (seen.get(block) ?? 0) + 1);
  return [...seen].filter(([, count]) => count > 1).map(([block]) => block);
}

describe('the Architect context', () => {
  it.each([
    {
      objective: 'Document utils.basename in lib/utils.js with a JSDoc comment',
      files: [
        ['lib/utils.js', 'named', 'full'],
        ['lib/constants.js', 'imported', 'full'],
        ['lib/parse.js', 'importer', 'outline'],
        ['lib/picomatch.js', 'importer', 'full'],
        ['test/many.js', 'importer', 'outline'],
        ['test/utils.js', 'importer', 'full'],
      ],
    },
    {
      objective: 'Add utils.hasTrailingSlash to lib/utils.js with a mocha test in test/utils.hasTrailingSlash.js',
      files: [
        ['lib/utils.js', 'named', 'full'],
        ['test/utils.js', 'example', 'full'],
        ['lib/constants.js', 'imported', 'full'],
        ['lib/parse.js', 'importer', 'outline'],
        ['lib/picomatch.js', 'importer', 'full'],
        ['test/many.js', 'importer', 'outline'],
      ],
    },
    {
      objective: 'Cover picomatch in lib/picomatch.js with a test for dotfiles',
      files: [
        ['lib/picomatch.js', 'named', 'full'],
        ['test/api.js', 'example', 'full'],
        ['lib/parse.js', 'imported', 'outline'],
        ['lib/utils.js', 'imported', 'full'],
        ['index.js', 'importer', 'full'],
      ],
    },
  ])('$objective', async ({ objective, files }) => {
    const { built, text, files: selected } = await prompt(objective);
    expect(selected).toEqual(files);
    expect(repeatedBlocks(text)).toEqual([]);
    expect(text.length).toBeLessThanOrEqual(24_000 * 4);
    // Not the 35k text: its outline, pointing at the manifest's exports.
    expect(text).not.toContain('function parseKind3(input, state) {');
    const outline = built.context.files.find((file) => file.path === 'lib/parse.js')!.content;
    const functions = Array.from({ length: 12 }, (_, index) => `parseKind${index} (line ${7 + index * 28}, 26 lines)`);
    expect(outline).toBe(
      [`${FILES['lib/parse.js']!.split('\n').length - 1} lines, ${FILES['lib/parse.js']!.length} characters.`, 'Exports: as listed for it in the manifest above.', `Functions: ${functions.join(', ')}, parse (line 343, 16 lines)`, 'Imports: ./constants, ./utils'].join('\n'),
    );
  });

  it('keeps a small budget: whole prompt within it, what did not fit listed', async () => {
    const { built, text } = await prompt('Add utils.hasTrailingSlash to lib/utils.js with a mocha test in test/utils.hasTrailingSlash.js', 1_700);
    expect(text.length).toBeLessThanOrEqual(1_700 * 4);
    expect(built.context.files.map((file) => [file.path, file.form])).toEqual([
      ['lib/utils.js', 'full'],
      ['test/utils.js', 'full'],
      ['lib/constants.js', 'full'],
      ['lib/parse.js', 'outline'],
    ]);
    expect(built.context.omitted.map((file) => file.path)).toEqual(['lib/picomatch.js', 'test/many.js']);
    expect(text).toContain('Left out to fit the context budget (ask for a smaller change if you need them): lib/picomatch.js (~78 tokens), test/many.js (~');
    expect(repeatedBlocks(text)).toEqual([]);
  });
});
