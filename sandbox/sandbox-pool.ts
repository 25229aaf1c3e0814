// The pool of git-worktree sandboxes under `.hephaestus/worktrees/<n>` (DESIGN.md §5).
// A worktree is created once and then only reset (`checkout --force --detach` + `clean`)
// for each lease, so preparing a sandbox costs in proportion to the last change, not to the
// size of the repository. Linked paths (node_modules) survive the clean as symlinks.
import { mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { throwIfAborted } from '../agent/core/abort.js';
import { AbortedError } from '../agent/core/errors.js';
import { DEFAULT_AUTHOR, runGit, type GitAuthor } from '../agent/git/git-environment.js';
import { cleanExclusions, linkSharedPaths } from './link-paths.js';
import { recoverPool, type RecoveryReport } from './recover-pool.js';
import { createSandbox, type Sandbox } from './sandbox.js';
import { sandboxEnvironment } from './sandbox-environment.js';
import { PoolClosedError } from './sandbox-errors.js';

export interface SandboxPoolOptions {
  repoRoot: string;
  stateDir: string;
  size: number;
  linkPaths: readonly string[];
  logger: Logger;
  author?: GitAuthor;
}

export interface SandboxPool {
  readonly worktreesDir: string;
  /** Start-up recovery: kill leftovers, prune, remove orphans, drop broken worktrees. */
  recover(signal?: AbortSignal): Promise<RecoveryReport>;
  /** Waits for a free slot and resets it to `baseCommit` (any commit-ish). */
  acquire(baseCommit: string, signal: AbortSignal): Promise<Sandbox>;
  /** Returns the slot to the pool; its worktree is kept for the next lease. */
  release(sandbox: Sandbox): void;
  /** Rejects queued waiters. Worktrees stay on disk for the next run. */
  close(): Promise<void>;
}

const FULL_SHA = /^[0-9a-f]{40}$/;

interface Waiter {
  resolve(slot: number): void;
  reject(error: Error): void;
}

export function createSandboxPool(options: SandboxPoolOptions): SandboxPool {
  const author = options.author ?? DEFAULT_AUTHOR;
  const logger = options.logger.child({ component: 'sandbox-pool' });
  const free = Array.from({ length: options.size }, (_, slot) => slot);
  const leased = new Set<Sandbox>();
  const waiters: Waiter[] = [];
  let closed = false;
  // `git worktree add/remove` read every worktree's admin files: concurrent ones in the same
  // repository can see each other half-written, so they run one at a time.
  const worktreeChange = pLimit(1);
  // Real paths: `git worktree list` reports resolved directories.
  let resolvedRoots: Promise<{ repoRoot: string; stateDir: string; gitCommonDir: string }> | null = null;
  const roots = () =>
    (resolvedRoots ??= (async () => {
      await mkdir(path.join(options.stateDir, 'worktrees'), { recursive: true });
      const repoRoot = await realpath(options.repoRoot);
      const gitCommonDir = (await runGit(repoRoot, ['rev-parse', '--path-format=absolute', '--git-common-dir'])).stdout.trim();
      return { repoRoot, stateDir: await realpath(options.stateDir), gitCommonDir: await realpath(gitCommonDir) };
    })());
  const worktreesDir = path.join(options.stateDir, 'worktrees');

  async function takeSlot(signal: AbortSignal): Promise<number> {
    if (closed) throw new PoolClosedError();
    throwIfAborted(signal, 'Waiting for a sandbox was aborted.');
    const slot = free.shift();
    if (slot !== undefined) return slot;
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject,
      };
      const onAbort = () => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new AbortedError('Waiting for a sandbox was aborted.', { cause: signal.reason }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      waiters.push(waiter);
    });
  }

  function giveBack(slot: number): void {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(slot);
    else free.push(slot);
  }

  async function prepare(slot: number, baseCommit: string, signal: AbortSignal): Promise<Sandbox> {
    const { repoRoot, stateDir, gitCommonDir } = await roots();
    const dir = path.join(stateDir, 'worktrees', String(slot));
    // A full sha (what a cycle passes) needs no lookup; checkout fails if it is not a commit.
    const base = FULL_SHA.test(baseCommit) ? baseCommit : (await runGit(repoRoot, ['rev-parse', '--verify', '-q', `${baseCommit}^{commit}`], { signal })).stdout.trim();
    const git = (args: string[]) => runGit(dir, args, { author, signal });
    if (await isWorktree(dir)) {
      try {
        await git(['checkout', '-q', '--force', '--detach', base]);
        // .hephaestus/ in a sandbox holds what it keeps between leases (tsc build info).
        await git(['clean', '-q', '-fdx', '-e', '/.hephaestus', ...cleanExclusions(options.linkPaths)]);
      } catch (error) {
        if (signal.aborted) throw error;
        logger.warn({ event: 'sandbox-rebuilt', slot, error: (error as Error).message }, `sandbox ${slot} could not be reset; rebuilding it`);
        await worktreeChange(async () => {
          await runGit(repoRoot, ['worktree', 'remove', '--force', '--force', dir], { allowFailure: true, signal });
          await runGit(repoRoot, ['worktree', 'add', '-q', '--force', '--detach', dir, base], { author, signal });
        });
      }
    } else {
      await worktreeChange(() => runGit(repoRoot, ['worktree', 'add', '-q', '--force', '--detach', dir, base], { author, signal }));
    }
    const readOnlyPaths = await linkSharedPaths(repoRoot, dir, options.linkPaths);
    const environment = await sandboxEnvironment(repoRoot, dir, options.linkPaths);
    const boundaries = { hiddenPaths: [...new Set([repoRoot, gitCommonDir])], readOnlyPaths };
    return createSandbox({ id: slot, root: dir, stateDir, baseCommit: base, linkPaths: options.linkPaths, author, environment, boundaries });
  }

  return {
    worktreesDir,

    async recover(signal) {
      const { repoRoot, stateDir } = await roots();
      return recoverPool({ repoRoot, worktreesDir: path.join(stateDir, 'worktrees'), size: options.size, logger, ...(signal ? { signal } : {}) });
    },

    async acquire(baseCommit, signal) {
      const slot = await takeSlot(signal);
      try {
        const sandbox = await prepare(slot, baseCommit, signal);
        leased.add(sandbox);
        return sandbox;
      } catch (error) {
        giveBack(slot);
        throw error;
      }
    },

    release(sandbox) {
      if (!leased.delete(sandbox)) return;
      giveBack(sandbox.id);
    },

    async close() {
      closed = true;
      for (const waiter of waiters.splice(0)) waiter.reject(new PoolClosedError());
    },
  };
}

async function isWorktree(dir: string): Promise<boolean> {
  return stat(path.join(dir, '.git')).then(
    (stats) => stats.isFile(),
    () => false,
  );
}
