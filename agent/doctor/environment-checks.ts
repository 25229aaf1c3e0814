// Checks of the machine and the repository: Node.js version, git, a repository with a commit,
// the bubblewrap jail, and a writable state directory.
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { Config } from '../config/schema.js';
import { locateRepository, runGit, type RepositoryLocation } from '../git/git-environment.js';
import { ensureStateDir } from '../state/state-dir.js';
import { JAIL_FIX, UNJAILED_WARNING, type JailProbe } from '../../strategies/commands/resolve-isolation.js';
import { failed, passed, warned, type CheckResult } from './doctor-check.js';

export const MINIMUM_NODE = [20, 19] as const;

export function checkNode(version: string): CheckResult {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const [needMajor, needMinor] = MINIMUM_NODE;
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return passed('node', `Node.js ${version}`);
  return failed('node', `Node.js ${version} is older than ${needMajor}.${needMinor}`, `Install Node.js ${needMajor}.${needMinor} or newer (https://nodejs.org, or nvm install 20).`);
}

export async function checkGit(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const result = await execa('git', ['--version'], { env, extendEnv: false, reject: false });
  if (result.exitCode === 0) return passed('git', String(result.stdout).trim());
  const missing = (result as { code?: string }).code === 'ENOENT';
  return failed('git', missing ? 'git is not installed (not found on PATH)' : `git --version failed: ${String(result.stderr).trim()}`, 'Install git (Debian/Ubuntu: apt-get install git) and make sure it is on PATH.');
}

export async function checkRepository(dir: string): Promise<{ result: CheckResult; repository: RepositoryLocation | null; head: string | null }> {
  let repository: RepositoryLocation;
  try {
    repository = await locateRepository(dir);
  } catch (error) {
    return { result: failed('repository', (error as Error).message, 'Run it inside a git repository, or pass --repo DIR (git init to start one).'), repository: null, head: null };
  }
  const head = await runGit(repository.root, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { allowFailure: true });
  if (head.exitCode !== 0) {
    return { result: failed('repository', `${repository.root} has no commit yet`, 'Commit once (git add -A && git commit -m "Initial commit"): cycles start from the base commit.'), repository, head: null };
  }
  const commit = head.stdout.trim();
  return { result: passed('repository', `${repository.root} at ${commit.slice(0, 12)}`), repository, head: commit };
}

export async function checkJail(config: Config, probe: () => Promise<JailProbe>): Promise<CheckResult> {
  const setting = config.sandbox.isolation;
  if (setting === 'none') return warned('jail', 'sandbox.isolation is "none": validation commands run unjailed', UNJAILED_WARNING);
  const result = await probe();
  if (result.ok) return passed('jail', `bubblewrap builds a jail (sandbox.isolation "${setting}")`);
  return failed('jail', `no bubblewrap jail can be built here (${result.problem})`, JAIL_FIX);
}

export async function checkStateDir(repository: RepositoryLocation): Promise<CheckResult> {
  const dir = path.join(repository.root, '.hephaestus');
  try {
    await ensureStateDir(repository);
    const probe = path.join(dir, `doctor-${randomUUID()}.tmp`);
    await writeFile(probe, 'ok');
    await rm(probe);
    return passed('state', `${dir} is writable (caches, memory, logs, sandboxes)`);
  } catch (error) {
    return failed('state', `${dir} cannot be written: ${(error as Error).message}`, `Make ${dir} a writable directory (remove a file of that name, or fix its owner and permissions).`);
  }
}
