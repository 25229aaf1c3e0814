// Promotion: a validated sandbox commit becomes the tip of the agent's branch through a
// compare-and-swap ref update (`git update-ref <ref> <new> <old>`), so a branch moved by
// anyone else is never overwritten. The user's checkout is fast-forwarded only when it has
// that branch checked out and is clean; otherwise its files are left untouched.
import type { Logger } from 'pino';
import { BranchMovedError } from './promotion-errors.js';
import { runGit } from '../git/git-environment.js';

export type CheckoutUpdate = 'not-checked-out' | 'fast-forwarded' | 'left-untouched';

export interface Promotion {
  branch: string;
  /** Tip before the update; null when the branch was created. */
  previousTip: string | null;
  tip: string;
  created: boolean;
  checkout: CheckoutUpdate;
  /** Why the user's checkout was left untouched and how to catch up; null otherwise. */
  checkoutNote: string | null;
}

export interface PromoteOptions {
  repoRoot: string;
  branch: string;
  commit: string;
  /** The tip the commit was based on (BranchBase.expectedTip). */
  expectedTip: string | null;
  logger: Logger;
  signal?: AbortSignal;
  /** Reflog message. */
  reason?: string;
}

/** Branch names already checked with `git check-ref-format` in this process. */
const validBranchNames = new Set<string>();

export async function promoteCommit(options: PromoteOptions): Promise<Promotion> {
  const { repoRoot, branch, commit, expectedTip } = options;
  const ref = `refs/heads/${branch}`;
  const signalOption = options.signal ? { signal: options.signal } : {};
  if (!validBranchNames.has(branch)) {
    await runGit(repoRoot, ['check-ref-format', '--branch', branch], signalOption);
    validBranchNames.add(branch);
  }
  const checkout = await inspectCheckout(repoRoot, ref, options.signal);

  const update = await runGit(repoRoot, ['update-ref', '-m', options.reason ?? 'hephaestus: promote validated commit', ref, commit, expectedTip ?? ''], {
    allowFailure: true,
    ...signalOption,
  });
  if (update.exitCode !== 0) {
    const actual = await runGit(repoRoot, ['rev-parse', '--verify', '-q', `${ref}^{commit}`], { allowFailure: true, ...signalOption });
    const actualTip = actual.exitCode === 0 ? actual.stdout.trim() : null;
    throw new BranchMovedError(
      `${branch} moved while the change was validated: expected ${expectedTip ?? '(no branch)'}, found ${actualTip ?? '(no branch)'}. ` +
        `The validated commit ${commit} was not promoted; nothing on ${branch} was changed.`,
      { details: { branch, expectedTip, actualTip, commit, git: update.stderr.trim() } },
    );
  }

  const promotion: Promotion = { branch, previousTip: expectedTip, tip: commit, created: expectedTip === null, checkout: 'not-checked-out', checkoutNote: null };
  if (!checkout.checkedOut || expectedTip === null) return promotion;
  if (!checkout.clean) {
    const note =
      `${branch} is checked out in ${repoRoot} with uncommitted changes, so its files were left untouched; the branch now points at ${commit.slice(0, 12)}. ` +
      `After committing or saving your work elsewhere, catch up with: git read-tree -m -u ${expectedTip} ${commit}`;
    options.logger.warn({ event: 'checkout-left-untouched', branch, tip: commit }, note);
    return { ...promotion, checkout: 'left-untouched', checkoutNote: note };
  }
  await runGit(repoRoot, ['update-index', '-q', '--refresh'], { allowFailure: true, ...signalOption });
  // A two-tree merge from the old tip to the new one: exactly what a fast-forward writes;
  // it refuses (and writes nothing) if an untracked file would be overwritten.
  const forward = await runGit(repoRoot, ['read-tree', '-m', '-u', expectedTip, commit], { allowFailure: true, ...signalOption });
  if (forward.exitCode === 0) return { ...promotion, checkout: 'fast-forwarded' };
  const note = `${branch} is checked out in ${repoRoot} but could not be fast-forwarded (${forward.stderr.trim()}); its files were left untouched. Catch up with: git read-tree -m -u ${expectedTip} ${commit}`;
  options.logger.warn({ event: 'checkout-left-untouched', branch, tip: commit }, note);
  return { ...promotion, checkout: 'left-untouched', checkoutNote: note };
}

async function inspectCheckout(repoRoot: string, ref: string, signal?: AbortSignal): Promise<{ checkedOut: boolean; clean: boolean }> {
  const signalOption = signal ? { signal } : {};
  const head = await runGit(repoRoot, ['symbolic-ref', '-q', 'HEAD'], { allowFailure: true, ...signalOption });
  if (head.exitCode !== 0 || head.stdout.trim() !== ref) return { checkedOut: false, clean: false };
  const status = await runGit(repoRoot, ['status', '--porcelain', '--untracked-files=no'], { allowFailure: true, ...signalOption });
  return { checkedOut: true, clean: status.exitCode === 0 && status.stdout.trim() === '' };
}
