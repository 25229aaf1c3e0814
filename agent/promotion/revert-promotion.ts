// Rolling back a promoted commit whose sanity step failed on the new tip: a revert commit is
// made in the sandbox worktree and promoted with the same compare-and-swap as the commit.
import type { Logger } from 'pino';
import { truncateSubject } from '../git/commit-subject.js';
import { sanitiseCommitMessage } from '../git/sanitise-commit-message.js';
import { runGit, type GitAuthor } from '../git/git-environment.js';
import { promoteCommit, type Promotion } from './promote-commit.js';

export interface RevertOptions {
  repoRoot: string;
  /** A worktree of the repository that may be moved freely (the sandbox). */
  worktree: string;
  promotion: Promotion;
  /** Why, for the revert commit's body (e.g. the failing sanity step and its reason). */
  why: string;
  author: GitAuthor;
  logger: Logger;
  signal?: AbortSignal;
}

export interface Reversion {
  revertCommit: string;
  promotion: Promotion;
}

export async function revertPromotion(options: RevertOptions): Promise<Reversion> {
  const { promotion } = options;
  const git = (args: string[]) => runGit(options.worktree, args, { author: options.author, ...(options.signal ? { signal: options.signal } : {}) });
  // Validation may have left tracked files modified; the revert starts from the exact tip.
  await git(['checkout', '-q', '--force', '--detach', promotion.tip]);
  await git(['revert', '--no-commit', promotion.tip]);
  const subject = (await git(['log', '-1', '--format=%s', promotion.tip])).stdout.trim();
  const message = sanitiseCommitMessage(`${revertSubject(subject)}\n\nThis reverts commit ${promotion.tip}.\n${options.why}\n`);
  await git(['commit', '-q', '--no-verify', '-m', message]);
  const revertCommit = (await git(['rev-parse', 'HEAD'])).stdout.trim();
  const revertPromotion = await promoteCommit({
    repoRoot: options.repoRoot,
    branch: promotion.branch,
    commit: revertCommit,
    expectedTip: promotion.tip,
    logger: options.logger,
    reason: 'hephaestus: revert after failed sanity step',
    signal: options.signal,
  });
  options.logger.warn({ event: 'promotion-reverted', branch: promotion.branch, reverted: promotion.tip, revertCommit }, `reverted ${promotion.tip.slice(0, 12)} on ${promotion.branch}: ${options.why}`);
  return { revertCommit, promotion: revertPromotion };
}

/** `revert: <original subject>`, cut to 72 characters at a word boundary. */
function revertSubject(subject: string): string {
  const full = `revert: ${subject}`;
  return truncateSubject(full);
}
