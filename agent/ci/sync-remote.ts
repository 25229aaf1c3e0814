// Continue from the remote: before the cycles the evolution branch is fetched from `git.remote`
// and the local branch is created or fast-forwarded to it; after the cycles it is pushed with
// a lease on the tip seen at fetch time, so nothing anyone else pushed is ever overwritten.
import type { Logger } from 'pino';
import { ConfigError, GitError } from '../core/errors.js';
import { runGit } from '../git/git-environment.js';
import { promoteCommit } from '../promotion/promote-commit.js';
import { RemoteDivergedError, RemoteMovedError } from './ci-errors.js';

/** Only branches under this prefix are ever pushed, so a run can never touch a user's branch. */
export const PUSHABLE_PREFIX = 'hephaestus/';

export interface RemoteBranchOptions {
  repoRoot: string;
  remote: string;
  branch: string;
  logger: Logger;
  signal: AbortSignal;
}

export type SyncAction = 'no-remote-branch' | 'created' | 'fast-forwarded' | 'up-to-date' | 'local-ahead';

export interface RemoteSync {
  remote: string;
  branch: string;
  /** The remote tip seen by the fetch (the push lease); null when the remote has no such branch. */
  remoteTip: string | null;
  /** The local branch tip after syncing; null when neither side has the branch yet. */
  localTip: string | null;
  action: SyncAction;
}

export interface PushResult {
  remote: string;
  branch: string;
  /** What the remote branch points at now. */
  tip: string | null;
  /** False when there was nothing new to push. */
  pushed: boolean;
}

/** Refuses configurations that could push anywhere but a `hephaestus/` branch of a known remote. */
export async function checkPushTarget(options: Omit<RemoteBranchOptions, 'logger'>): Promise<void> {
  const { repoRoot, remote, branch, signal } = options;
  if (!branch.startsWith(PUSHABLE_PREFIX) || branch.length === PUSHABLE_PREFIX.length) {
    throw new ConfigError(
      `git.branch is "${branch}", but only branches under "${PUSHABLE_PREFIX}" are ever pushed. ` +
        `Set git.branch to e.g. "${PUSHABLE_PREFIX}evolve" in hephaestus.config.json, or set git.push to false and drop --pr.`,
    );
  }
  const format = await runGit(repoRoot, ['check-ref-format', '--branch', branch], { allowFailure: true, signal });
  if (format.exitCode !== 0) throw new ConfigError(`git.branch "${branch}" is not a valid branch name.`);
  const url = await runGit(repoRoot, ['remote', 'get-url', remote], { allowFailure: true, signal });
  if (url.exitCode !== 0) {
    throw new ConfigError(`git.remote is "${remote}", but the repository has no such remote. Add it with "git remote add ${remote} URL", or set git.remote in hephaestus.config.json.`);
  }
}

/** Fetches `remote`'s evolution branch and bases the local branch on it. */
export async function syncFromRemote(options: RemoteBranchOptions): Promise<RemoteSync> {
  const { repoRoot, remote, branch, logger, signal } = options;
  await checkPushTarget(options);
  const ref = `refs/heads/${branch}`;
  const trackingRef = `refs/remotes/${remote}/${branch}`;

  const listed = await runGit(repoRoot, ['ls-remote', '--heads', remote, ref], { allowFailure: true, signal });
  if (listed.exitCode !== 0) throw new GitError(`cannot reach ${remote} to read ${branch}: ${listed.stderr.trim()}`, { details: { remote, branch } });
  let remoteTip: string | null = null;
  if (listed.stdout.trim() !== '') {
    await runGit(repoRoot, ['fetch', '--quiet', '--no-tags', remote, `+${ref}:${trackingRef}`], { signal });
    remoteTip = (await runGit(repoRoot, ['rev-parse', '--verify', `${trackingRef}^{commit}`], { signal })).stdout.trim();
  }
  const local = await runGit(repoRoot, ['rev-parse', '--verify', '-q', `${ref}^{commit}`], { allowFailure: true, signal });
  const localTip = local.exitCode === 0 ? local.stdout.trim() : null;
  const sync = (action: SyncAction, tip: string | null): RemoteSync => {
    logger.info({ event: 'remote-synced', remote, branch, action, remoteTip, localTip: tip }, `${branch}: ${action.replaceAll('-', ' ')} (${remote})`);
    return { remote, branch, remoteTip, localTip: tip, action };
  };

  if (remoteTip === null) return sync('no-remote-branch', localTip);
  if (localTip === remoteTip) return sync('up-to-date', localTip);
  if (localTip === null || (await isAncestor(repoRoot, localTip, remoteTip, signal))) {
    const promotion = await promoteCommit({
      repoRoot,
      branch,
      commit: remoteTip,
      expectedTip: localTip,
      logger,
      signal,
      reason: `hephaestus: continue from ${remote}/${branch}`,
    });
    if (promotion.checkoutNote) logger.warn({ branch }, promotion.checkoutNote);
    return sync(localTip === null ? 'created' : 'fast-forwarded', remoteTip);
  }
  if (await isAncestor(repoRoot, remoteTip, localTip, signal)) return sync('local-ahead', localTip);
  throw new RemoteDivergedError(
    `the local branch ${branch} (${localTip.slice(0, 12)}) and ${remote}/${branch} (${remoteTip.slice(0, 12)}) have diverged: each has commits the other lacks. ` +
      `Nothing was changed. Merge or rebase one onto the other and push it, or delete the local branch (git branch -D ${branch}) to continue from ${remote}.`,
    { details: { branch, remote, localTip, remoteTip } },
  );
}

/**
 * Pushes the evolution branch when it is ahead of what the fetch saw. The lease
 * (`--force-with-lease=<ref>:<expected>`) makes the remote refuse the update if anyone moved
 * the branch since, so the push can only ever add commits on top of the tip the run started from.
 */
export async function pushToRemote(options: RemoteBranchOptions & { expectedRemoteTip: string | null }): Promise<PushResult> {
  const { repoRoot, remote, branch, logger, signal, expectedRemoteTip } = options;
  await checkPushTarget(options);
  const ref = `refs/heads/${branch}`;
  const local = await runGit(repoRoot, ['rev-parse', '--verify', '-q', `${ref}^{commit}`], { allowFailure: true, signal });
  const localTip = local.exitCode === 0 ? local.stdout.trim() : null;
  if (localTip === null || localTip === expectedRemoteTip) {
    logger.info({ event: 'push-skipped', remote, branch }, `${branch}: nothing new to push to ${remote}`);
    return { remote, branch, tip: expectedRemoteTip, pushed: false };
  }
  const pushed = await runGit(repoRoot, ['push', '--porcelain', `--force-with-lease=${ref}:${expectedRemoteTip ?? ''}`, remote, `${ref}:${ref}`], {
    allowFailure: true,
    signal,
  });
  if (pushed.exitCode !== 0) {
    const now = await runGit(repoRoot, ['ls-remote', '--heads', remote, ref], { allowFailure: true, signal });
    const actualTip = now.exitCode === 0 ? (now.stdout.trim().split(/\s+/)[0] ?? '') || null : null;
    if (actualTip === expectedRemoteTip) {
      throw new GitError(`git push of ${branch} to ${remote} failed: ${pushed.stderr.trim() || pushed.stdout.trim()}`, { details: { remote, branch } });
    }
    throw new RemoteMovedError(
      `${remote}/${branch} was moved by someone else during the run: expected ${expectedRemoteTip?.slice(0, 12) ?? '(no branch)'}, found ${actualTip?.slice(0, 12) ?? '(no branch)'}. ` +
        `Nothing on ${remote} was overwritten; this run's commits are on the local branch ${branch} (${localTip.slice(0, 12)}). ` +
        `Merge them with ${remote}/${branch} and push by hand, or delete the local branch to continue from ${remote} next time.`,
      { details: { remote, branch, expectedRemoteTip, actualTip, localTip, git: pushed.stdout.trim() } },
    );
  }
  logger.info({ event: 'branch-pushed', remote, branch, tip: localTip }, `pushed ${branch} to ${remote} (${localTip.slice(0, 12)})`);
  return { remote, branch, tip: localTip, pushed: true };
}

async function isAncestor(repoRoot: string, ancestor: string, descendant: string, signal: AbortSignal): Promise<boolean> {
  const result = await runGit(repoRoot, ['merge-base', '--is-ancestor', ancestor, descendant], { allowFailure: true, signal });
  if (result.exitCode === 0) return true;
  if (result.exitCode === 1) return false;
  throw new GitError(`git merge-base --is-ancestor ${ancestor} ${descendant} failed: ${result.stderr.trim()}`);
}
