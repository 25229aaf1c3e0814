// Start-up recovery of the worktree pool after a crash or a changed pool size: processes
// left running in sandboxes are killed (found by their jail: the bubblewrap process that binds
// a worktree of this pool, and with it its whole PID namespace; unjailed ones by their working
// directory), stale registrations pruned, orphan and surplus directories removed, and broken
// worktrees removed so they are rebuilt on first use.
// Call it only while holding the repository's run lock: no other run owns these sandboxes.
import { readFile, readdir, readlink, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { runGit } from '../agent/git/git-environment.js';

export interface RecoveryReport {
  /** Pids of processes that were still running inside a sandbox, now killed. */
  killedProcesses: number[];
  /** Worktree directories removed (orphans, surplus slots, broken ones). */
  removed: string[];
}

export interface RecoverOptions {
  repoRoot: string;
  worktreesDir: string;
  size: number;
  logger: Logger;
  signal?: AbortSignal;
}

export async function recoverPool(options: RecoverOptions): Promise<RecoveryReport> {
  const { repoRoot, worktreesDir, size, logger } = options;
  const git = (args: string[], allowFailure = false) => runGit(repoRoot, args, { allowFailure, ...(options.signal ? { signal: options.signal } : {}) });
  const killedProcesses = [...(await killJailsOf(worktreesDir)), ...(await killProcessesInside(worktreesDir))];
  await git(['worktree', 'prune']);

  const removed: string[] = [];
  const failures: unknown[] = [];
  // Every removal is attempted; failures are collected and reported together.
  const remove = async (dir: string, unregister: boolean) => {
    try {
      // Twice forced: also removes a worktree left locked by an interrupted `worktree add`.
      if (unregister) await git(['worktree', 'remove', '--force', '--force', dir], true);
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch (error) {
      failures.push(error);
    }
  };

  const registered = await registeredWorktrees(repoRoot, worktreesDir);
  for (const dir of registered) {
    const slot = slotOf(worktreesDir, dir);
    const healthy = slot !== null && slot < size && (await runGit(dir, ['rev-parse', '--verify', '-q', 'HEAD'], { allowFailure: true })).exitCode === 0;
    if (healthy) await removeStaleIndexLock(dir).catch((error: unknown) => failures.push(error));
    else await remove(dir, true);
  }
  await git(['worktree', 'prune']);

  // Directories git does not know (a crash during `worktree add`, leftovers) are orphans.
  const known = new Set(registered);
  for (const entry of await readdir(worktreesDir).catch(() => [])) {
    const dir = path.join(worktreesDir, entry);
    if (!known.has(dir)) await remove(dir, false);
  }
  if (failures.length > 0) throw new AggregateError(failures, `sandbox pool recovery could not remove ${failures.length} stale worktree(s) under ${worktreesDir}`);
  if (killedProcesses.length > 0 || removed.length > 0) {
    logger.warn({ event: 'sandbox-recovered', killedProcesses, removed }, `sandbox pool recovered: killed ${killedProcesses.length} leftover process(es), removed ${removed.length} stale worktree(s)`);
  }
  return { killedProcesses, removed };
}

/** Worktree directories registered in the repository that live under `worktreesDir`. */
export async function registeredWorktrees(repoRoot: string, worktreesDir: string): Promise<string[]> {
  const listing = (await runGit(repoRoot, ['worktree', 'list', '--porcelain'])).stdout;
  return listing
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length))
    .filter((dir) => dir.startsWith(`${worktreesDir}${path.sep}`));
}

function slotOf(worktreesDir: string, dir: string): number | null {
  const name = path.relative(worktreesDir, dir);
  return /^\d+$/.test(name) ? Number(name) : null;
}

/** A SIGKILLed git leaves index.lock behind in the worktree's private git dir. */
async function removeStaleIndexLock(dir: string): Promise<void> {
  const pointer = await readFile(path.join(dir, '.git'), 'utf8').catch(() => null);
  const gitDir = pointer?.match(/^gitdir: (.+)$/m)?.[1];
  if (gitDir) await rm(path.join(path.resolve(dir, gitDir.trim()), 'index.lock'), { force: true });
}

/**
 * Kills every jail of this pool still running: a `bwrap` whose command line binds a worktree
 * under `worktreesDir`, with all its descendants. Its PID namespace goes with it, so processes
 * that left its session or changed directory are found as well. Linux only (reads /proc).
 */
async function killJailsOf(worktreesDir: string): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const jails: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (path.basename(argv[0] ?? '') !== 'bwrap') continue;
    const bindsWorktree = argv.some((argument, index) => argument === '--bind' && (argv[index + 1] ?? '').startsWith(`${worktreesDir}${path.sep}`));
    if (bindsWorktree) jails.push(Number(entry));
  }
  // Every descendant first, then kill them all: killing the jail's init takes the rest with it.
  const doomed = new Set<number>();
  for (const jail of jails) for (const pid of await descendantsOf(jail)) doomed.add(pid);
  for (const pid of doomed) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  return [...doomed];
}

async function descendantsOf(root: number): Promise<number[]> {
  const found = [root];
  for (let index = 0; index < found.length; index++) {
    const tasks = await readdir(`/proc/${found[index]}/task`).catch(() => [] as string[]);
    for (const task of tasks) {
      const children = await readFile(`/proc/${found[index]}/task/${task}/children`, 'utf8').catch(() => '');
      for (const child of children.split(' ').filter(Boolean)) if (!found.includes(Number(child))) found.push(Number(child));
    }
  }
  return found;
}

/**
 * Kills (SIGKILL, whole process group) every process whose working directory is inside
 * `dir`: what a crashed run left behind. Linux only (reads /proc); elsewhere a no-op.
 */
async function killProcessesInside(dir: string): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const ownGroup = await processGroupOf(process.pid);
  // Find them all first: killing one group can take others out before they are seen.
  const found: Array<{ pid: number; group: number | null }> = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => null);
    if (cwd === null || (cwd !== dir && !cwd.startsWith(`${dir}${path.sep}`))) continue;
    found.push({ pid: Number(entry), group: await processGroupOf(Number(entry)) });
  }
  const killed: number[] = [];
  for (const { pid, group } of found) {
    try {
      process.kill(group !== null && group !== ownGroup ? -group : pid, 'SIGKILL');
    } catch {
      // Gone already (its group was killed a moment ago), or not ours to kill.
    }
    killed.push(pid);
  }
  return killed;
}

async function processGroupOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  // Fields after the parenthesised command name: state ppid pgrp ...
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  const group = Number(fields?.[2]);
  return Number.isInteger(group) && group > 0 ? group : null;
}
