// Validation runs the sandbox's code, never the user's tree, even when the project's installed
// environment points back at the repository: an editable Python install (a .pth line naming
// src/) and a node_modules entry linking to the package itself. In both, a breaking plan is
// rejected and a good one committed.
import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../strategies/commands/run-command.js';
import { makeTempRepo } from '../support/temp-repo.js';
import { planReply, projectConfig, queueObjectives, runAgent, scriptRoles, useCycleBench } from './cycle-kit.js';

const bench = useCycleBench();

interface BreakThenAdd {
  /** The Architect's patch for "Break add". */
  breaking: unknown;
  /** Its patch for "Add multiply", which also writes `testFile` with `test`. */
  addition: unknown;
  testFile: string;
  test: string;
}

const PYTHON_MULTIPLY_TEST = 'import unittest\n\nfrom pkg import multiply\n\n\nclass MultiplyTest(unittest.TestCase):\n    def test_multiply(self):\n        self.assertEqual(multiply(2, 3), 6)\n';
const NODE_MULTIPLY_TEST = "const { test } = require('node:test');\nconst assert = require('node:assert');\nconst { multiply } = require('lib');\n\ntest('multiplies', () => assert.equal(multiply(2, 3), 6));\n";
const replace = (file: string, block: string, content: string) => ({ operation: 'REPLACE', file_path: file, block_to_replace: block, content });
const append = (file: string, content: string) => ({ operation: 'INSERT', file_path: file, content });

/** What the two cycles of breakThenAdd end with: the break rejected by the tests, the addition committed. */
const BROKEN_THEN_COMMITTED = [
  ['rejected', 'TESTS_FAILED'],
  ['committed', null],
];

/** Scripts the plans, queues the breaking objective, then the good one, and runs two cycles. */
async function breakThenAdd(root: string, plan: BreakThenAdd): Promise<Array<[string, string | null]>> {
  const newTest = { operation: 'REPLACE', file_path: plan.testFile, block_to_replace: null, content: plan.test };
  scriptRoles(bench.server, (objective) => planReply(objective === 'Break add' ? [plan.breaking] : [plan.addition, newTest]));
  await queueObjectives(root, 'Break add', 'Add multiply');
  const summary = await runAgent(root, { cycles: 2 });
  return summary.cycles.map((cycle) => [cycle.outcome, cycle.reason]);
}

describe('the sandbox runs its own code', () => {
  it('with an editable Python install pointing at the user\'s src/', async () => {
    const repo = bench.use(await makeTempRepo({
      '.gitignore': '.venv/\n',
      'src/pkg/__init__.py': 'def add(a, b):\n    return a + b\n',
      'tests/test_add.py': 'import unittest\n\nfrom pkg import add\n\n\nclass AddTest(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n',
    }));
    const venv = await runCommand(['python3', '-m', 'venv', '--without-pip', '.venv'], { cwd: repo.root, timeoutMs: 60_000, signal: AbortSignal.timeout(60_000) });
    expect(venv.outcome).toBe('passed');
    const sitePackages = (await runCommand(['.venv/bin/python', '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { cwd: repo.root, timeoutMs: 30_000, signal: AbortSignal.timeout(30_000) })).outputTail.trim();
    // What `pip install -e .` writes for a src layout: a .pth line naming the working tree's src.
    await writeFile(path.join(sitePackages, '__editable__.pkg-0.1.pth'), `${path.join(repo.root, 'src')}\n`);
    await repo.write(
      'hephaestus.config.json',
      projectConfig(bench.server, {
        sandbox: { linkPaths: ['.venv'], pool: 2 },
        validation: { tests: { command: '.venv/bin/python -m unittest {files}', files: ['tests/test_*.py'], workers: 1, timeoutMs: 60_000 } },
      }),
    );
    await repo.commitAll('config');
    const source = 'src/pkg/__init__.py';
    const plan = { breaking: replace(source, 'return a + b', 'return a - b'), addition: append(source, '\n\ndef multiply(a, b):\n    return a * b\n'), testFile: 'tests/test_multiply.py', test: PYTHON_MULTIPLY_TEST };
    expect(await breakThenAdd(repo.root, plan)).toEqual(BROKEN_THEN_COMMITTED);
    expect(await repo.git('show', 'hephaestus/evolve:src/pkg/__init__.py')).toBe('def add(a, b):\n    return a + b\n\n\ndef multiply(a, b):\n    return a * b');
  });

  it('with a node_modules entry linking back to the package itself', async () => {
    const repo = bench.use(await makeTempRepo({
      '.gitignore': 'node_modules/\n',
      'package.json': '{ "name": "lib", "private": true, "main": "index.js" }\n',
      'index.js': 'exports.add = (a, b) => a + b;\n',
      'test/add.test.js': "const { test } = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('lib');\n\ntest('adds', () => assert.equal(add(2, 3), 5));\n",
    }));
    // A self-reference, as a workspace or `npm link` leaves it: node_modules/lib -> ..
    await repo.write('node_modules/.keep', '');
    await symlink('..', path.join(repo.root, 'node_modules', 'lib'), 'dir');
    await repo.write('hephaestus.config.json', projectConfig(bench.server, { sandbox: { linkPaths: ['node_modules'], pool: 2 } }));
    await repo.commitAll('config');
    const plan = { breaking: replace('index.js', 'a + b', 'a - b'), addition: append('index.js', 'exports.multiply = (a, b) => a * b;\n'), testFile: 'test/multiply.test.js', test: NODE_MULTIPLY_TEST };
    expect(await breakThenAdd(repo.root, plan)).toEqual(BROKEN_THEN_COMMITTED);
    expect(await repo.git('show', 'hephaestus/evolve:index.js')).toBe('exports.add = (a, b) => a + b;\nexports.multiply = (a, b) => a * b;');
  });
});
