// The test inventory end to end with each runner whose report it reads besides node:test: real
// jest, mocha and pytest runs in pooled sandboxes of temp repositories. In each, a source flag
// that skips an existing test is TESTS_SKIPPED, one that stops a test from being declared is
// TESTS_REMOVED (with the names as that runner's report gives them), a test skipped on the base
// too is not held against the change, and an ordinary source edit passes. jest and mocha come
// from the npm registry into one shared directory (installed once per machine); pytest from the
// Python environment. A runner that cannot be installed is skipped with the reason.
import { execa } from 'execa';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../agent/config/schema.js';
import { makeSandboxFixture, type SandboxFixture } from '../sandbox/support/sandbox-fixtures.js';
import { validatePlan } from './support/validate-plan.js';

const PACKAGES = ['jest@30', 'mocha@11'];
const RUNNERS_DIRECTORY = path.join(os.tmpdir(), `hephaestus-test-runners-${PACKAGES.join('-').replaceAll('@', '')}`);

interface Runner {
  name: 'jest' | 'mocha' | 'pytest';
  files: Record<string, string>;
  command: string;
  testGlobs: string[];
  flags: string;
  /** The flag that skips `works`, and the one that stops `extra` from being declared, as written and as flipped. */
  skip: [string, string];
  drop: [string, string];
  edit: { file: string; after: string; content: string };
  /** How the runner's report names the tests, `file > name`. */
  works: string;
  extra: string;
  /** What must be installed first; a reason when it cannot be. */
  available(): Promise<string | null>;
}

const JS_FEATURE = 'exports.skipWorks = false;\nexports.registerExtra = true;\n';
const JS_MATH = 'exports.add = (a, b) => a + b;\n';
const jsTest = (test: string, expectation: string) => `const assert = require('node:assert/strict');
const { add } = require('../src/math.js');
const { skipWorks, registerExtra } = require('../src/feature.js');

describe('feature', () => {
  ${test}('adds', () => ${expectation});
  (skipWorks ? ${test}.skip : ${test})('works', () => {});
  if (registerExtra) ${test}('extra', () => {});
  ${test}.skip('later', () => {});
});
`;
const jsEdit = { file: 'src/math.js', after: JS_MATH.trim(), content: 'exports.subtract = (a, b) => a - b;' };

/** What the jest and mocha rows share: the same JavaScript project, flags and edit. */
const JS_RUNNER = {
  testGlobs: ['test/**/*.test.js'],
  flags: 'src/feature.js',
  skip: ['skipWorks = false', 'skipWorks = true'] as [string, string],
  drop: ['registerExtra = true', 'registerExtra = false'] as [string, string],
  edit: jsEdit,
  available: installNodeRunners,
};
const jsFiles = (testFunction: 'test' | 'it') => ({
  'package.json': '{ "name": "fixture", "private": true }\n',
  'src/feature.js': JS_FEATURE,
  'src/math.js': JS_MATH,
  'test/feature.test.js': jsTest(testFunction, 'assert.equal(add(2, 3), 5)'),
});

const RUNNERS: Runner[] = [
  {
    name: 'jest',
    files: jsFiles('test'),
    command: `node ${path.join(RUNNERS_DIRECTORY, 'node_modules/jest/bin/jest.js')} --ci --watchman=false {files}`,
    ...JS_RUNNER,
    works: 'test/feature.test.js > feature > works',
    extra: 'test/feature.test.js > feature > extra',
  },
  {
    name: 'mocha',
    files: jsFiles('it'),
    command: `node ${path.join(RUNNERS_DIRECTORY, 'node_modules/mocha/bin/mocha.js')} {files}`,
    ...JS_RUNNER,
    works: 'test/feature.test.js > feature works',
    extra: 'test/feature.test.js > feature extra',
  },
  {
    name: 'pytest',
    files: {
      'pytest.ini': '[pytest]\n',
      'src/feature.py': 'SKIP_WORKS = False\nREGISTER_EXTRA = True\n',
      'src/math_tools.py': 'def add(a, b):\n    return a + b\n',
      'tests/test_feature.py': [
        'import pytest',
        'from src.feature import REGISTER_EXTRA, SKIP_WORKS',
        'from src.math_tools import add',
        '',
        '',
        'def test_adds():',
        '    assert add(2, 3) == 5',
        '',
        '',
        '@pytest.mark.skipif(SKIP_WORKS, reason="flagged off")',
        'def test_works():',
        '    pass',
        '',
        '',
        'if REGISTER_EXTRA:',
        '    def test_extra():',
        '        pass',
        '',
        '',
        '@pytest.mark.skip(reason="later")',
        'def test_later():',
        '    pass',
        '',
      ].join('\n'),
    },
    command: 'python3 -m pytest -q -p no:cacheprovider {files}',
    testGlobs: ['tests/test_*.py'],
    flags: 'src/feature.py',
    skip: ['SKIP_WORKS = False', 'SKIP_WORKS = True'],
    drop: ['REGISTER_EXTRA = True', 'REGISTER_EXTRA = False'],
    edit: { file: 'src/math_tools.py', after: '    return a + b', content: '\n\ndef subtract(a, b):\n    return a - b' },
    works: 'tests/test_feature.py > tests.test_feature > test_works',
    extra: 'tests/test_feature.py > tests.test_feature > test_extra',
    available: async () => {
      const found = await execa('python3', ['-m', 'pytest', '--version'], { reject: false });
      if (found.exitCode === 0) return null;
      const installed = await execa('python3', ['-m', 'pip', 'install', '--quiet', 'pytest'], { reject: false });
      return installed.exitCode === 0 ? null : `pytest cannot be installed: ${String(installed.stderr).trim().split('\n').at(-1)}`;
    },
  },
];

let nodeRunners: Promise<string | null> | undefined;
/** jest and mocha, installed once into RUNNERS_DIRECTORY (a temp directory renamed into place). */
function installNodeRunners(): Promise<string | null> {
  nodeRunners ??= (async () => {
    if (await access(path.join(RUNNERS_DIRECTORY, 'node_modules/.bin/mocha')).then(() => true, () => false)) return null;
    const staging = `${RUNNERS_DIRECTORY}.${process.pid}`;
    await mkdir(staging, { recursive: true });
    await writeFile(path.join(staging, 'package.json'), '{ "name": "runners", "private": true }\n');
    const installed = await execa('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', ...PACKAGES], { cwd: staging, reject: false, timeout: 600_000 });
    if (installed.exitCode !== 0) {
      await rm(staging, { recursive: true, force: true });
      return `npm install ${PACKAGES.join(' ')} failed: ${String(installed.stderr).trim().split('\n').at(-1)}`;
    }
    await rename(staging, RUNNERS_DIRECTORY).catch(async () => rm(staging, { recursive: true, force: true }));
    return null;
  })();
  return nodeRunners;
}

const replace = (file_path: string, block_to_replace: string, content: string) => ({ operation: 'REPLACE', file_path, block_to_replace, content });

describe.each(RUNNERS.map((runner) => [runner.name, runner] as const))('the test inventory with %s', (_name, runner) => {
  let fixture: SandboxFixture | undefined;
  let config: Config;
  let unavailable: string | null = null;
  beforeAll(async () => {
    unavailable = await runner.available();
    if (unavailable !== null) return;
    fixture = await makeSandboxFixture(runner.files, { sandbox: { linkPaths: [] } });
    config = configSchema.parse({
      sandbox: { linkPaths: [], readOnlyPaths: [RUNNERS_DIRECTORY] },
      validation: { tests: { command: runner.command, files: runner.testGlobs, workers: 1, retryFailed: false, timeoutMs: 180_000 } },
    });
  }, 660_000);
  afterAll(async () => {
    await fixture?.pool.close();
    await fixture?.repo.remove();
  });

  const cases: Array<{ name: string; patches: () => unknown[]; reason: string | null; names: string[] }> = [
    { name: 'a source flag that skips an existing test', patches: () => [replace(runner.flags, ...runner.skip)], reason: 'TESTS_SKIPPED', names: [runner.works] },
    { name: 'a source flag that stops a test from being declared', patches: () => [replace(runner.flags, ...runner.drop)], reason: 'TESTS_REMOVED', names: [runner.extra] },
    { name: 'an ordinary source edit', patches: () => [{ operation: 'INSERT', file_path: runner.edit.file, after: runner.edit.after, content: runner.edit.content }], reason: null, names: [] },
  ];
  it.for(cases)('$name', { timeout: 300_000 }, async (entry, context) => {
    context.skip(unavailable !== null, unavailable ?? '');
    const verdict = await validatePlan(fixture!, config, { name: entry.name, patches: entry.patches() });
    expect(verdict.reason).toBe(entry.reason);
    const named = verdict.detail.split('\n').filter((line) => line.startsWith('  - ')).map((line) => line.slice(4));
    expect(named).toEqual(entry.names);
  });
});
