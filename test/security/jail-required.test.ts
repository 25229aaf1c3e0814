// No model-written code runs without a jail: where bubblewrap is missing or cannot build one,
// createAgent (and so `hephaestus run`) refuses with JAIL_UNAVAILABLE, naming the fix, before
// it touches the repository; only an explicit sandbox.isolation "none" runs, with a warning.
import { rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { execa } from 'execa';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent, type Agent } from '../../agent/create-agent.js';
import { JAIL_FIX, UNJAILED_WARNING } from '../../strategies/commands/resolve-isolation.js';
import { silentLogger } from '../sandbox/support/sandbox-fixtures.js';
import { runCli } from '../support/run-cli.js';
import { makeTempDir, makeTempRepo, type TempRepo } from '../support/temp-repo.js';
import { exists } from './support/attack-kit.js';

/** What bubblewrap prints where unprivileged user namespaces are disabled. */
const UNUSABLE = 'bwrap: setting up uid map: Permission denied';

const originalPath = process.env.PATH;
let repo: TempRepo | undefined;
let agent: Agent | undefined;
const binDirectories: string[] = [];
afterEach(async () => {
  process.env.PATH = originalPath;
  await agent?.close();
  agent = undefined;
  await repo?.remove();
  await Promise.all(binDirectories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

/** A PATH whose bwrap fails as an unusable one does, with every other program still found. */
async function pathWithUnusableBwrap(): Promise<string> {
  const bin = await makeTempDir('hephaestus-fake-bwrap-');
  binDirectories.push(bin);
  await writeFile(path.join(bin, 'bwrap'), `#!/bin/sh\necho '${UNUSABLE}' >&2\nexit 1\n`, { mode: 0o755 });
  return `${bin}:${originalPath}`;
}

/** A PATH that holds git and nothing else, so bwrap is not found. */
async function pathWithoutBwrap(): Promise<string> {
  const bin = await makeTempDir('hephaestus-no-bwrap-');
  binDirectories.push(bin);
  await symlink((await execa('sh', ['-c', 'command -v git'])).stdout.trim(), path.join(bin, 'git'));
  return bin;
}

const refusal = (isolation: string, problem: string) => ({
  code: 'JAIL_UNAVAILABLE',
  message: `sandbox.isolation is "${isolation}" but no bubblewrap jail can be built on this machine (${problem}). ${JAIL_FIX}`,
});

describe('running without a jail', () => {
  it.each([
    ['auto', 'bwrap cannot build a jail', pathWithUnusableBwrap, UNUSABLE],
    ['bwrap', 'bwrap cannot build a jail', pathWithUnusableBwrap, UNUSABLE],
    ['auto', 'bwrap is missing', pathWithoutBwrap, 'bwrap is not installed'],
  ] as const)('isolation "%s" where %s: createAgent refuses, names the fix and leaves the repository untouched', async (isolation, _where, searchPath, problem) => {
    repo = await makeTempRepo({ 'README.md': '# Project\n' });
    process.env.PATH = await searchPath();
    const opening = createAgent({ repoRoot: repo.root, config: { sandbox: { isolation } }, logger: silentLogger });
    await expect(opening).rejects.toMatchObject(refusal(isolation, problem));
    expect(await exists(path.join(repo.root, '.hephaestus'))).toBe(false);
    expect(await repo.git('status', '--porcelain')).toBe('');
  });

  it('isolation "none" is the explicit opt-out: the agent opens where no jail can be built, and warns', async () => {
    repo = await makeTempRepo({ 'README.md': '# Project\n' });
    process.env.PATH = await pathWithUnusableBwrap();
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    agent = await createAgent({ repoRoot: repo.root, config: { sandbox: { isolation: 'none' } }, logger: pino({ level: 'warn' }, sink) });
    const warnings = lines.map((line) => JSON.parse(line) as { event?: string; msg: string }).filter((entry) => entry.event === 'isolation-none');
    expect(warnings.map((entry) => entry.msg)).toEqual([UNJAILED_WARNING]);
  });

  it('hephaestus run refuses with exit 1 and says how to fix it', async () => {
    repo = await makeTempRepo({ 'README.md': '# Project\n' });
    const result = await runCli(['run', '--repo', repo.root, '--offline', '--objective', 'Document the project'], { env: { PATH: await pathWithUnusableBwrap() } });
    expect({ exitCode: result.exitCode, stderr: result.stderr.trim().split('\n').at(-1) }).toEqual({ exitCode: 1, stderr: `hephaestus: ${refusal('auto', UNUSABLE).message}` });
    // Its log may exist; no sandbox was ever made.
    expect(await exists(path.join(repo.root, '.hephaestus/worktrees'))).toBe(false);
  }, 60_000);
});
