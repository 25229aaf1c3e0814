// The worktree pool on real repositories: leases, resets, commits that contain only the
// plan's files, a user's working tree and index that are never written, and recovery.
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { lstat, mkdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runGit } from '../../agent/git/git-environment.js';
import { createSandboxPool } from '../../sandbox/sandbox-pool.js';
import { BWRAP, bwrapArguments } from '../../strategies/commands/bwrap-arguments.js';
import { DEFAULT_JAIL } from '../../strategies/commands/jail-settings.js';
import { runStrategy } from '../../strategies/run-strategy.js';
import { changeSet, isAlive, makeSandboxFixture, pidsWithArgument, silentLogger, waitFor, type SandboxFixture } from './support/sandbox-fixtures.js';

const PROJECT = {
  '.gitignore': 'node_modules/\n',
  'src/math.mjs': 'export const add = (a, b) => a + b;\n',
  'src/notes.txt': 'committed notes\n',
  'test/math.test.mjs': "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { add } from '../src/math.mjs';\ntest('adds', () => assert.equal(add(1, 2), 3));\n",
};

const fixtures: SandboxFixture[] = [];
afterEach(async () => {
  for (const fixture of fixtures.splice(0)) {
    await fixture.pool.close();
    await fixture.repo.remove();
  }
});

async function fixture(size = 1, linkPaths: string[] = []): Promise<SandboxFixture> {
  const made = await makeSandboxFixture(PROJECT, { sandbox: { linkPaths, pool: size }, validation: { tests: { command: 'node --test {files}' } } }, size);
  fixtures.push(made);
  return made;
}

const worktreeList = async (root: string) =>
  (await runGit(root, ['worktree', 'list', '--porcelain'])).stdout
    .split('\n')
    .filter((line) => line.startsWith('worktree ') || line === 'prunable' || line.startsWith('prunable '))
    .map((line) => line.replace(root, '<repo>'));

describe('sandbox pool', () => {
  it('commits exactly the planned files on a detached sandbox and never writes the user tree or index', async () => {
    const { repo, pool } = await fixture();
    const base = await repo.git('rev-parse', 'HEAD');
    // The user's uncommitted work: a modified tracked file, a staged file, an untracked file.
    await repo.write('src/notes.txt', 'my unsaved notes\n');
    await repo.write('src/staged.txt', 'staged by me\n');
    await repo.git('add', 'src/staged.txt');
    await repo.write('scratch.txt', 'untracked\n');
    const userFiles = ['src/notes.txt', 'src/staged.txt', 'scratch.txt', '.git/index'];
    const before = await Promise.all(userFiles.map((file) => readFile(path.join(repo.root, file))));
    const statusBefore = await repo.git('status', '--porcelain');

    const sandbox = await pool.acquire(base, AbortSignal.timeout(30_000));
    expect(sandbox.baseCommit).toBe(base);
    const changes = changeSet({ 'src/math.mjs': 'export const add = (a, b) => b + a;\n', 'src/extra.mjs': 'export const one = 1;\n', 'src/notes.txt': null });
    await sandbox.materialize(changes);
    await writeFile(path.join(sandbox.root, 'validation-output.log'), 'left by a validation command\n');
    // What a validation command writes over a planned file never reaches the commit.
    await writeFile(path.join(sandbox.root, 'src/math.mjs'), 'tampered by a validation command\n');
    await writeFile(path.join(sandbox.root, 'src/notes.txt'), 'brought back by a validation command\n');
    const commit = await sandbox.commit('feat(src): swap operands', changes);

    expect(await repo.git('rev-parse', `${commit}^`)).toBe(base);
    expect(await repo.git('show', '--name-status', '--format=%s', commit)).toBe('feat(src): swap operands\n\nA\tsrc/extra.mjs\nM\tsrc/math.mjs\nD\tsrc/notes.txt');
    expect(await repo.git('show', `${commit}:src/math.mjs`)).toBe('export const add = (a, b) => b + a;');
    expect(await repo.git('rev-parse', 'HEAD')).toBe(base);
    expect(await repo.git('status', '--porcelain')).toBe(statusBefore);
    const after = await Promise.all(userFiles.map((file) => readFile(path.join(repo.root, file))));
    after.forEach((content, index) => expect(content.equals(before[index]!), userFiles[index]).toBe(true));
    pool.release(sandbox);
  });

  it('resets a reused sandbox to the new base and keeps linked paths as symlinks', async () => {
    const { repo, pool } = await fixture(1, ['node_modules']);
    await repo.write('node_modules/lib/index.js', 'module.exports = 1;\n');
    const base = await repo.git('rev-parse', 'HEAD');
    const first = await pool.acquire(base, AbortSignal.timeout(30_000));
    await first.materialize(changeSet({ 'src/math.mjs': 'broken(\n', 'src/new.mjs': 'new\n' }));
    await mkdir(path.join(first.root, 'coverage'));
    await writeFile(path.join(first.root, 'coverage/out.json'), '{}');
    pool.release(first);

    await repo.write('src/later.mjs', 'export const later = true;\n');
    const next = await repo.commitAll('later');
    const second = await pool.acquire(next, AbortSignal.timeout(30_000));
    expect(second.root).toBe(first.root);
    expect(await runGit(second.root, ['rev-parse', 'HEAD']).then((result) => result.stdout)).toBe(next);
    expect(await runGit(second.root, ['status', '--porcelain', '--ignored']).then((result) => result.stdout)).toBe('?? node_modules');
    expect(await readFile(path.join(second.root, 'src/math.mjs'), 'utf8')).toBe(PROJECT['src/math.mjs']);
    expect(await readlink(path.join(second.root, 'node_modules'))).toBe(path.join(repo.root, 'node_modules'));
    expect(await readFile(path.join(second.root, 'node_modules/lib/index.js'), 'utf8')).toBe('module.exports = 1;\n');
    pool.release(second);
  });

  it('rejects paths that leave the sandbox, enter .git or write through a linked path', async () => {
    const { repo, pool } = await fixture(1, ['node_modules']);
    await repo.write('node_modules/lib/index.js', 'original\n');
    const sandbox = await pool.acquire('HEAD', AbortSignal.timeout(30_000));
    for (const file of ['../outside.txt', '/etc/passwd', '.git/config', 'node_modules/lib/index.js', 'src/./x.mjs']) {
      await expect(sandbox.materialize(changeSet({ [file]: 'x' })), file).rejects.toMatchObject({ code: 'PATH_REJECTED' });
    }
    expect(await readFile(path.join(repo.root, 'node_modules/lib/index.js'), 'utf8')).toBe('original\n');
    await expect(sandbox.commit('chore: nothing', changeSet({ 'src/math.mjs': PROJECT['src/math.mjs'] }))).rejects.toMatchObject({ code: 'NO_CHANGES' });
    pool.release(sandbox);
  });

  it('queues acquirers when every sandbox is leased, and lets a waiter give up', async () => {
    const { pool } = await fixture(1);
    const first = await pool.acquire('HEAD', AbortSignal.timeout(30_000));
    const gaveUp = new AbortController();
    const abandoned = pool.acquire('HEAD', gaveUp.signal);
    const waiting = pool.acquire('HEAD', AbortSignal.timeout(30_000));
    gaveUp.abort();
    await expect(abandoned).rejects.toMatchObject({ code: 'HEPHAESTUS_ABORTED' });
    pool.release(first);
    const second = await waiting;
    expect(second.id).toBe(first.id);
    pool.release(second);
    await pool.close();
    await expect(pool.acquire('HEAD', AbortSignal.timeout(1_000))).rejects.toMatchObject({ code: 'SANDBOX_POOL_CLOSED' });
  });

  it('recovers: prunes deleted worktrees, removes surplus and orphan directories', async () => {
    const { repo, stateDir, pool } = await fixture(3);
    const leases = await Promise.all([0, 1, 2].map(() => pool.acquire('HEAD', AbortSignal.timeout(30_000))));
    leases.forEach((lease) => pool.release(lease));
    await rm(path.join(stateDir, 'worktrees/1'), { recursive: true, force: true });
    await mkdir(path.join(stateDir, 'worktrees/orphan'));

    const smaller = createSandboxPool({ repoRoot: repo.root, stateDir, size: 1, linkPaths: [], logger: silentLogger });
    const report = await smaller.recover();
    expect(report.removed.map((dir) => path.relative(stateDir, dir)).sort()).toEqual(['worktrees/2', 'worktrees/orphan']);
    expect(await worktreeList(repo.root)).toEqual(['worktree <repo>', 'worktree <repo>/.hephaestus/worktrees/0']);
    const sandbox = await smaller.acquire('HEAD', AbortSignal.timeout(30_000));
    expect(sandbox.root).toBe(path.join(stateDir, 'worktrees/0'));
    smaller.release(sandbox);
  });

  it('after the runner is SIGKILLed mid-validation, its jail dies with it, recovery cleans up and the pool works', async () => {
    const { repo, stateDir, config } = await fixture(1);
    const marker = `hephaestus-crash-${process.pid}-${Date.now()}`;
    const script = fileURLToPath(new URL('./support/validate-in-child.ts', import.meta.url));
    const child = execa(process.execPath, ['--import', 'tsx', script, repo.root, stateDir, marker], { cwd: fileURLToPath(new URL('../..', import.meta.url)), reject: false });
    // The helper names itself `<marker>-helper`; the runner's own command line holds `<marker>`.
    await waitFor(async () => (await pidsWithArgument(`${marker}-helper`)).length > 0 || child.exitCode !== null);
    const [helperPid] = await pidsWithArgument(`${marker}-helper`);
    child.kill('SIGKILL');
    const crashed = await child;
    expect([crashed.signal, typeof helperPid], crashed.stderr).toEqual(['SIGKILL', 'number']);
    // The helper left the runner's session and directory, but not the jail's PID namespace.
    await waitFor(async () => !(await isAlive(helperPid!)), 5_000);

    const pool = createSandboxPool({ repoRoot: repo.root, stateDir, size: 1, linkPaths: [], logger: silentLogger });
    const report = await pool.recover();
    expect(report.killedProcesses).toEqual([]);
    expect(await worktreeList(repo.root)).toEqual(['worktree <repo>', 'worktree <repo>/.hephaestus/worktrees/0']);

    const sandbox = await pool.acquire('HEAD', AbortSignal.timeout(30_000));
    expect((await lstat(path.join(sandbox.root, 'test/hang.test.mjs')).catch(() => null)) === null).toBe(true);
    const changes = changeSet({ 'src/math.mjs': 'export const add = (a, b) => b + a;\n' });
    await sandbox.materialize(changes);
    const result = await runStrategy('SYNTAX_AND_TESTS', { sandbox, changes, config, signal: AbortSignal.timeout(60_000), logger: silentLogger });
    expect(result.steps.map((step) => [step.step, step.ok, step.reason, step.skipped ?? false])).toEqual([
      ['syntax', true, null, false],
      ['typecheck', true, null, true],
      ['tests', true, null, false],
    ]);
    pool.release(sandbox);
  });

  it('recovery finds a jail still running by its bubblewrap process, not by working directory', async () => {
    const { repo, pool } = await fixture(1);
    const sandbox = await pool.acquire('HEAD', AbortSignal.timeout(30_000));
    pool.release(sandbox);
    const marker = `hephaestus-leftover-${process.pid}-${Date.now()}`;
    const settings = { ...DEFAULT_JAIL, writablePaths: [sandbox.root] };
    const inner = `setsid ${JSON.stringify(process.execPath)} -e 'setInterval(() => {}, 1000)' ${marker} & wait`;
    const jail = spawn(BWRAP, [...bwrapArguments({ settings, cwd: '/', home: '/tmp/home' }), 'sh', '-c', inner], { cwd: '/', detached: true, stdio: 'ignore' });
    try {
      await waitFor(async () => (await pidsWithArgument(marker)).length > 0);
      const [leftover] = await pidsWithArgument(marker);
      const report = await pool.recover();
      expect(report.killedProcesses).toContain(jail.pid);
      expect(report.killedProcesses).toContain(leftover);
      await waitFor(async () => !(await isAlive(leftover!)), 5_000);
      expect(await worktreeList(repo.root)).toEqual(['worktree <repo>', 'worktree <repo>/.hephaestus/worktrees/0']);
    } finally {
      jail.kill('SIGKILL');
    }
  });
});
