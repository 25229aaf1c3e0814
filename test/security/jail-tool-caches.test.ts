// Tool caches inside the jail, with the real tools on real repositories: eslint caching in the
// linked, read-only node_modules (`--cache-location node_modules/.cache/…`, as picomatch's lint
// script does) works on the untouched base and still catches a bad change; pytest's cache works,
// and no command sees the cache of another. Nothing reaches the user's node_modules.
import { mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../agent/package-root.js';
import { runJailed } from '../../strategies/commands/run-jailed.js';
import { stepJail } from '../../strategies/steps/step-jail.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { changeSet, makeSandboxFixture, type SandboxFixture } from '../sandbox/support/sandbox-fixtures.js';
import { requireJail } from './support/attack-kit.js';

const fixtures: SandboxFixture[] = [];
afterEach(async () => {
  for (const fixture of fixtures.splice(0)) {
    await fixture.pool.close();
    await fixture.repo.remove();
  }
});

beforeAll(async () => {
  await requireJail();
});

async function fixture(files: Record<string, string>): Promise<SandboxFixture> {
  const made = await makeSandboxFixture({ ...files, '.gitignore': 'node_modules/\n' }, {
    // The linked eslint lives in this project's node_modules, outside the repository: share it read-only.
    sandbox: { isolation: 'bwrap', readOnlyPaths: [path.join(packageRoot(), 'node_modules')] },
  });
  fixtures.push(made);
  return made;
}

/** One command in the jail a validation step of `sandbox` gets. */
async function run(made: SandboxFixture, sandbox: Sandbox, argv: string[]) {
  return runJailed(argv, { jail: stepJail({ sandbox, config: made.config }), cwd: sandbox.root, timeoutMs: 120_000, signal: new AbortController().signal });
}

describe('tool caches in the jail', () => {
  it('lets eslint cache in the linked node_modules, catches a bad change, and leaves the user node_modules untouched', async () => {
    const made = await fixture({
      'eslint.config.cjs': "module.exports = [{ files: ['**/*.js'], rules: { 'no-unused-vars': 'error' } }];\n",
      'src/add.js': 'module.exports = function add(a, b) {\n  return a + b;\n};\n',
    });
    // The user's installed dependencies: eslint, shared from this project.
    await mkdir(path.join(made.repo.root, 'node_modules'));
    await symlink(path.join(packageRoot(), 'node_modules', 'eslint'), path.join(made.repo.root, 'node_modules', 'eslint'), 'dir');
    const sandbox = await made.pool.acquire('HEAD', new AbortController().signal);
    const lint = ['node', 'node_modules/eslint/bin/eslint.js', '--cache', '--cache-location', 'node_modules/.cache/.eslintcache', 'src'];

    // eslint 8 fails when it cannot write its cache, newer ones lose it silently: the command checks it is there.
    const base = await run(made, sandbox, ['sh', '-c', `${lint.join(' ')} && test -s node_modules/.cache/.eslintcache`]);
    expect(base.outcome, base.outputTail).toBe('passed');

    await sandbox.materialize(changeSet({ 'src/bad.js': 'const unused = 1;\n' }));
    const bad = await run(made, sandbox, lint);
    expect(bad.outcome).toBe('failed');
    expect(bad.outputTail).toMatch(/'unused' is assigned a value but never used\s+no-unused-vars/);

    expect(await readdir(path.join(made.repo.root, 'node_modules'))).toEqual(['eslint']);
  }, 180_000);

  it('gives pytest a cache that no later command sees', async () => {
    const made = await fixture({ 'test_numbers.py': 'def test_one():\n    assert 1 == 1\n\n\ndef test_two():\n    assert 1 == 2\n' });
    const sandbox = await made.pool.acquire('HEAD', new AbortController().signal);
    const pytest = ['python3', '-m', 'pytest', '-q', '-p', 'no:randomly', 'test_numbers.py'];

    const first = await run(made, sandbox, pytest);
    expect(first.outcome).toBe('failed');
    expect(first.outputTail).toMatch(/1 failed, 1 passed/);
    // A cache that could not be written would warn (PytestCacheWarning).
    expect(first.outputTail).not.toMatch(/cache/i);

    // With the first run's cache, --last-failed would rerun test_two alone.
    const second = await run(made, sandbox, [...pytest, '--last-failed']);
    expect(second.outputTail).toMatch(/1 failed, 1 passed/);
    expect(second.outputTail).not.toMatch(/deselected/);
    // The mount point is all that is left in the sandbox.
    expect(await readdir(path.join(sandbox.root, '.pytest_cache'))).toEqual([]);
  }, 180_000);
});
