import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../agent/config/schema.js';
import { scanRepository } from '../../agent/scanner/scan-repository.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const config = configSchema.parse({});

const MATCHER = `'use strict';
const utils = require('./utils');

/** Creates a matcher. */
const matcher = (glob, options = {}) => {
  return (input) => input === glob;
};

/**
 * Tests one input.
 */
matcher.test = (input, regex) => regex.test(input);
matcher.constants = { MAX: 10 };
utils.unrelated = 1;

module.exports = matcher;
`;

const UTILS = `exports.isObject = val => val !== null && typeof val === 'object';
/** Whether it is Windows. */
exports.isWindows = function isWindows() {
  return process.platform === 'win32';
};
module.exports.VERSION = '1.0';
`;

const CONSTANTS = `const MAX_LENGTH = 64;
function escape(text) {
  return text;
}
module.exports = {
  MAX_LENGTH,
  escape,
  SEPARATOR: '/',
  upper(text) { return text.toUpperCase(); },
};
`;

describe('CommonJS modules', () => {
  let repo: TempRepo;
  afterEach(async () => repo?.remove());

  it('have an API skeleton: module.exports, exports.x and the properties of an exported function', async () => {
    repo = await makeTempRepo({
      'lib/matcher.js': MATCHER,
      'lib/utils.js': UTILS,
      'lib/constants.js': CONSTANTS,
      'lib/class.js': '/* global navigator */\n// Parses text.\nmodule.exports = class Parser {\n  parse(text) { return text; }\n};\n',
      'posix.js': "module.exports = require('./lib/matcher');\n",
    });
    const scan = await scanRepository(repo.root, { config });
    const skeleton = (path: string) => scan.files.find((file) => file.path === path)!.symbols;

    expect(skeleton('lib/matcher.js')).toEqual([
      {
        name: 'matcher',
        kind: 'function',
        signature: 'const matcher = (glob, options = {}) =>',
        line: 5,
        doc: 'Creates a matcher.',
        members: [
          { name: 'test', kind: 'function', signature: 'matcher.test = (input, regex) =>', line: 12, doc: 'Tests one input.' },
          { name: 'constants', kind: 'variable', signature: 'matcher.constants = { MAX: 10 }', line: 13 },
        ],
      },
    ]);
    expect(skeleton('lib/utils.js')).toEqual([
      { name: 'isObject', kind: 'function', signature: 'exports.isObject = val =>', line: 1 },
      { name: 'isWindows', kind: 'function', signature: 'exports.isWindows = function isWindows()', line: 3, doc: 'Whether it is Windows.' },
      { name: 'VERSION', kind: 'variable', signature: "module.exports.VERSION = '1.0'", line: 6 },
    ]);
    expect(skeleton('lib/constants.js')).toEqual([
      { name: 'MAX_LENGTH', kind: 'variable', signature: 'const MAX_LENGTH = 64', line: 1 },
      { name: 'escape', kind: 'function', signature: 'function escape(text)', line: 2 },
      { name: 'SEPARATOR', kind: 'variable', signature: "SEPARATOR: '/'", line: 8 },
      { name: 'upper', kind: 'function', signature: 'upper(text)', line: 9 },
    ]);
    expect(skeleton('lib/class.js')).toEqual([{ name: 'Parser', kind: 'class', signature: 'module.exports = class Parser', line: 3 }]);
    // A tool directive is not what the module is for.
    expect(scan.files.find((file) => file.path === 'lib/class.js')!.summary).toBe('Parses text.');
    expect(skeleton('posix.js')).toEqual([{ name: '*', kind: 're-export', signature: "module.exports = require('./lib/matcher')", line: 1 }]);
  });

  it('are reached through the package main: require(".."), a directory, and the package by its own name', async () => {
    repo = await makeTempRepo({
      'package.json': JSON.stringify({ name: 'matcher', main: 'index.js' }),
      'index.js': "module.exports = require('./lib/matcher');\n",
      'lib/matcher.js': 'module.exports = () => true;\n',
      'lib/tools/package.json': JSON.stringify({ main: './main.js' }),
      'lib/tools/main.js': 'module.exports = 1;\n',
      'packages/extra/package.json': JSON.stringify({ name: '@scope/extra', exports: { '.': { import: './src/extra.mjs', require: './dist/extra.cjs' } } }),
      'packages/extra/src/extra.mjs': 'export const extra = 1;\n',
      'packages/extra/src/other.mjs': 'export const other = 1;\n',
      'test/api.test.js': "const matcher = require('..');\nrequire('../lib/tools');\n",
      'test/self.test.js': "require('matcher');\nrequire('@scope/extra');\nrequire('@scope/extra/src/other.mjs');\n",
      'test/unused.test.js': "require('left-pad');\n",
    });
    const scan = await scanRepository(repo.root, { config });
    expect(scan.graph.imports).toEqual({
      'index.js': ['lib/matcher.js'],
      'test/api.test.js': ['index.js', 'lib/tools/main.js'],
      'test/self.test.js': ['index.js', 'packages/extra/src/extra.mjs', 'packages/extra/src/other.mjs'],
    });
  });
});
