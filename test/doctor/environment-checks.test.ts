// The doctor's checks of the machine and the repository, each passing and failing, on real
// temp directories, real git and real child processes.
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../agent/config/schema.js';
import { checkPublishing } from '../../agent/doctor/command-checks.js';
import { checkGit, checkJail, checkNode, checkRepository, checkStateDir } from '../../agent/doctor/environment-checks.js';
import { JAIL_FIX, UNJAILED_WARNING } from '../../strategies/commands/resolve-isolation.js';
import { makeTempDir, makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
async function repository(files: Record<string, string> = { 'README.md': '# Project\n' }, options: { commit?: boolean } = {}): Promise<TempRepo> {
  const repo = await makeTempRepo(files, options);
  cleanups.push(() => repo.remove());
  return repo;
}

describe('node', () => {
  it('passes on 20.19 and newer', () => {
    expect([checkNode('v20.19.0'), checkNode('v22.1.0')].map((check) => check.status)).toEqual(['pass', 'pass']);
  });
  it('fails on an older Node.js, saying which to install', () => {
    expect(checkNode('v20.10.0')).toEqual({ id: 'node', status: 'fail', detail: 'Node.js v20.10.0 is older than 20.19', fix: 'Install Node.js 20.19 or newer (https://nodejs.org, or nvm install 20).' });
  });
});

describe('git', () => {
  it('passes with git on PATH', async () => {
    const check = await checkGit({ PATH: process.env.PATH });
    expect([check.status, /^git version \d/.test(check.detail)]).toEqual(['pass', true]);
  });
  it('fails when git is not on PATH', async () => {
    const check = await checkGit({ PATH: '/nonexistent' });
    expect(check).toEqual({ id: 'git', status: 'fail', detail: 'git is not installed (not found on PATH)', fix: 'Install git (Debian/Ubuntu: apt-get install git) and make sure it is on PATH.' });
  });
});

describe('repository', () => {
  it('passes for a repository with a commit, naming the commit', async () => {
    const repo = await repository();
    const head = (await repo.git('rev-parse', 'HEAD')).trim();
    const { result } = await checkRepository(repo.root);
    expect(result).toEqual({ id: 'repository', status: 'pass', detail: `${repo.root} at ${head.slice(0, 12)}`, fix: null });
  });
  it('fails outside a git repository', async () => {
    const dir = await makeTempDir();
    const { result } = await checkRepository(dir);
    expect([result.status, result.detail]).toEqual(['fail', `${dir}: not a git repository. Run Hephaestus inside a git repository (git init), or pass --repo DIR.`]);
  });
  it('fails for a repository without a commit', async () => {
    const repo = await repository({}, { commit: false });
    const { result } = await checkRepository(repo.root);
    expect([result.status, result.detail]).toEqual(['fail', `${repo.root} has no commit yet`]);
  });
});

describe('jail', () => {
  const config = (isolation: 'auto' | 'none') => configSchema.parse({ sandbox: { isolation } });
  it('passes when bubblewrap builds a jail', async () => {
    expect((await checkJail(config('auto'), async () => ({ ok: true, problem: null }))).status).toBe('pass');
  });
  it('fails when it cannot, with the fix', async () => {
    expect(await checkJail(config('auto'), async () => ({ ok: false, problem: 'bwrap is not installed' }))).toEqual({
      id: 'jail',
      status: 'fail',
      detail: 'no bubblewrap jail can be built here (bwrap is not installed)',
      fix: JAIL_FIX,
    });
  });
  it('warns when isolation is "none"', async () => {
    expect(await checkJail(config('none'), async () => ({ ok: false, problem: 'unused' }))).toEqual({ id: 'jail', status: 'warn', detail: 'sandbox.isolation is "none": validation commands run unjailed', fix: UNJAILED_WARNING });
  });
});

describe('state directory', () => {
  it('passes when .hephaestus/ can be written', async () => {
    const repo = await repository();
    const check = await checkStateDir({ root: repo.root, commonDir: path.join(repo.root, '.git') });
    expect(check.status).toBe('pass');
  });
  it('fails when .hephaestus is a file', async () => {
    const repo = await repository();
    await writeFile(path.join(repo.root, '.hephaestus'), 'in the way');
    const check = await checkStateDir({ root: repo.root, commonDir: path.join(repo.root, '.git') });
    expect([check.status, check.fix]).toEqual(['fail', `Make ${path.join(repo.root, '.hephaestus')} a writable directory (remove a file of that name, or fix its owner and permissions).`]);
  });
});

describe('publishing (git.push)', () => {
  const pushing = configSchema.parse({ git: { push: true } });
  async function fakeGh(exitCode: number): Promise<string> {
    const dir = await makeTempDir();
    const gh = path.join(dir, 'gh');
    await writeFile(gh, `#!/bin/sh\necho "not logged in" >&2\nexit ${exitCode}\n`);
    await chmod(gh, 0o755);
    return gh;
  }

  it('is not checked when nothing is pushed', async () => {
    const repo = await repository();
    expect(await checkPublishing({ root: repo.root, commonDir: path.join(repo.root, '.git') }, configSchema.parse({}), process.env)).toBeNull();
  });
  it('passes with the remote and an authenticated gh', async () => {
    const repo = await repository();
    const remote = await makeTempDir();
    await repo.git('remote', 'add', 'origin', remote);
    const checks = await checkPublishing({ root: repo.root, commonDir: path.join(repo.root, '.git') }, pushing, process.env, await fakeGh(0));
    expect(checks!.map((check) => [check.id, check.status])).toEqual([['remote', 'pass'], ['gh', 'pass']]);
  });
  it('fails without the remote, and with gh not authenticated or not installed', async () => {
    const repo = await repository();
    const location = { root: repo.root, commonDir: path.join(repo.root, '.git') };
    const unauthenticated = await checkPublishing(location, pushing, process.env, await fakeGh(1));
    const missing = await checkPublishing(location, pushing, process.env, '/nonexistent/gh');
    expect(unauthenticated!.map((check) => [check.id, check.status, check.detail])).toEqual([
      ['remote', 'fail', 'git.push is on but the repository has no remote "origin"'],
      ['gh', 'fail', 'gh is not authenticated: not logged in'],
    ]);
    expect(missing![1]).toMatchObject({ id: 'gh', status: 'fail', detail: 'gh (the GitHub CLI) is not installed' });
  });
});
