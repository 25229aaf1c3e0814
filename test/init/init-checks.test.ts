// `hephaestus init` runs every command it proposes once on the untouched base in a sandbox:
// what the repository declares comes first, a command failing there is not enabled, and the
// output says which one failed and why.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../strategies/commands/run-command.js';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
afterEach(async () => repo?.remove());

const readConfig = async (root: string) => JSON.parse(await readFile(path.join(root, 'hephaestus.config.json'), 'utf8')) as Record<string, any>;
/** Durations vary from run to run. */
const withoutTimes = (text: string) => text.replace(/\(\d+\.\d s\)/g, '(… s)');

describe('init checks the commands it writes on the base', () => {
  it('prefers the declared lint script, does not enable it when it fails on the base, and enables the test runner that passes', async () => {
    repo = await makeTempRepo({
      'package.json': JSON.stringify({ name: 'app', version: '1.0.0', scripts: { lint: 'node scripts/lint.cjs', test: 'node --test' } }),
      'scripts/lint.cjs': "console.log('src/a.js: badly formatted');\nprocess.exit(1);\n",
      'src/a.js': 'module.exports = 1;\n',
      'test/a.test.js': "const { test } = require('node:test');\nconst assert = require('node:assert');\ntest('one', () => assert.equal(require('../src/a.js'), 1));\n",
    });
    const result = await runCli(['init', '--repo', repo.root], { cwd: repo.root });
    expect(result.exitCode).toBe(0);
    const base = (await repo.git('rev-parse', 'HEAD')).trim().slice(0, 12);
    expect(withoutTimes(result.stdout)).toBe(
      [
        `Ran each proposed command once on the untouched base ${base} in a sandbox:`,
        '  lint: npm run lint (package.json script "lint"): FAILED on the base (… s), not enabled:',
        '    LINT_FAILED: > app@1.0.0 lint',
        '    > node scripts/lint.cjs',
        '    src/a.js: badly formatted',
        '  tests: node --test {files} (package.json script "test" (node --test)): passed (… s), enabled',
        'Not enabled (no command passed on the base): lint. Fix the command or the repository, then run init --force.',
        'Wrote hephaestus.config.json (detected: javascript, node-test).',
        'Added /.hephaestus/ to .git/info/exclude.',
      ].join('\n'),
    );
    const config = await readConfig(repo.root);
    expect([config.validation.lint, config.validation.tests.command, config.strategies.default]).toEqual([{ command: null }, 'node --test {files}', 'FULL_VALIDATION']);
    // The checks ran in a sandbox: the user's tree shows nothing but the new config.
    expect(await repo.git('status', '--porcelain', '--untracked-files=all')).toBe('?? hephaestus.config.json');
  });

  it('runs a Python project\'s tools with its virtualenv and enables none that is missing there', async () => {
    repo = await makeTempRepo({
      '.gitignore': '.venv/\n',
      'pyproject.toml': '[project]\nname = "pkg"\n\n[tool.mypy]\nfiles = ["src"]\nstrict = true\n\n[tool.ruff]\nsrc = ["src"]\nfix = true\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
      'src/pkg/__init__.py': 'VALUE = 1\n',
      'tests/test_value.py': 'from pkg import VALUE\n\n\ndef test_value():\n    assert VALUE == 1\n',
    });
    const venv = await runCommand(['python3', '-m', 'venv', '--without-pip', '.venv'], { cwd: repo.root, timeoutMs: 60_000, signal: AbortSignal.timeout(60_000) });
    expect(venv.outcome).toBe('passed');
    const result = await runCli(['init', '--repo', repo.root], { cwd: repo.root });
    expect(result.exitCode).toBe(0);
    // Python names itself by its path in the sandbox.
    const lines = withoutTimes(result.stdout).replaceAll(`${repo.root}/.hephaestus/worktrees/0/`, '').split('\n');
    expect(lines.filter((line) => line.startsWith('  ') && !line.startsWith('    '))).toEqual([
      '  typecheck: .venv/bin/python -m mypy (mypy settings, run with the .venv virtualenv): FAILED on the base (… s), not enabled:',
      '  lint: .venv/bin/ruff check --no-fix {files} (ruff settings, run with the .venv virtualenv): not run: .venv/bin/ruff is missing; install the dependencies, then run init --force; not enabled',
      '  tests: .venv/bin/python -m pytest -q -p no:cacheprovider {files} (pytest, run with the .venv virtualenv): FAILED on the base (… s), not enabled:',
    ]);
    expect(lines.filter((line) => line.includes('No module named'))).toEqual([
      '    TYPECHECK_FAILED: .venv/bin/python: No module named mypy',
      '    TESTS_FAILED: .venv/bin/python: No module named pytest',
    ]);
    const config = await readConfig(repo.root);
    expect(config.validation).toEqual({
      syntax: { commands: { '.py': 'python3 -m py_compile {file}' } },
      typecheck: { command: null },
      lint: { command: null },
      tests: { command: null, files: ['**/test_*.py', '**/*_test.py'] },
    });
    expect([config.sandbox, config.strategies.default]).toEqual([{ linkPaths: ['.venv'] }, 'SYNTAX_ONLY']);
  });
});
