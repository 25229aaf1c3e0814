// Promotion: a validated sandbox commit becomes the tip of the agent's branch through a
// compare-and-swap ref update (`git update-ref <ref> <new> <old>`), so a branch moved by
// anyone else is never overwritten. Every checkout of the branch (`git worktree list`) is
// fast-forwarded with it. When one of them is dirty (or the fast-forward would overwrite a file
// there), the branch is not moved under it: the commit is held on `refs/hephaestus/held/<branch>`
// and the note says how to pick it up. No checkout ever shows changes its user did not make.
import type { Logger } from 'pino';
import { BranchMovedError } from './promotion-errors.js';
import { inspectBranchCheckouts } from './branch-checkouts.js';
import { runGit } from '../git/git-environment.js';
import { heldRefOf, readHeldTip } from '../git/held-commits.js';

export type CheckoutUpdate = 'not-checked-out' | 'fast-forwarded' | 'left-untouched';

export interface Promotion {
  branch: string;
  /** Tip before the update (the held tip when commits were held); null when the branch was created. */
  previousTip: string | null;
  tip: string;
  created: boolean;
  checkout: CheckoutUpdate;
  /** The commit was kept on `heldRef` because a checkout of the branch could not take it; the branch did not move. */
  held: boolean;
  /** The ref that now points at `tip`. */
  ref: string;
  /** Why a checkout was left untouched and how to catch up; null otherwise. */
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
  const heldRef = heldRefOf(branch);
  const signalOption = options.signal ? { signal: options.signal } : {};
  if (!validBranchNames.has(branch)) {
    await runGit(repoRoot, ['check-ref-format', '--branch', branch], signalOption);
    validBranchNames.add(branch);
  }
  const reflog = options.reason ?? 'hephaestus: promote validated commit';
  const branchTip = await readTip(repoRoot, ref, options.signal);
  const heldTip = await readHeldTip(repoRoot, branch, branchTip, options.signal);
  const currentTip = heldTip ?? branchTip;
  const moved = (git: string) => {
    throw new BranchMovedError(
      `${branch} moved while the change was validated: expected ${expectedTip ?? '(no branch)'}, found ${currentTip ?? '(no branch)'}. ` +
        `The validated commit ${commit} was not promoted; nothing on ${branch} was changed.`,
      { details: { branch, expectedTip, actualTip: currentTip, commit, git } },
    );
  };
  if (currentTip !== expectedTip) moved('the tip differs');
  const promotion: Promotion = { branch, previousTip: expectedTip, tip: commit, created: expectedTip === null, checkout: 'not-checked-out', held: false, ref, checkoutNote: null };

  const checkouts = branchTip === null ? [] : await inspectBranchCheckouts(repoRoot, ref, branchTip, commit, options.signal);
  const blocked = checkouts.filter((checkout) => checkout.blocked !== null);
  if (blocked.length > 0) {
    const update = await runGit(repoRoot, ['update-ref', '-m', reflog, heldRef, commit, heldTip ?? ''], { allowFailure: true, ...signalOption });
    if (update.exitCode !== 0) moved(update.stderr.trim());
    const places = blocked.map((checkout) => `${checkout.directory} (${checkout.blocked})`).join(', ');
    const first = blocked[0]!.directory;
    const note =
      `${branch} is checked out in ${places}, so the branch was not moved and no checkout was touched. ` +
      `The validated commit ${commit.slice(0, 12)} is kept on ${heldRef}, and the next cycles build on it. ` +
      `To take it, keep your work aside and fast-forward: git -C ${first} stash && git -C ${first} merge --ff-only ${heldRef} && git -C ${first} stash pop ` +
      `(or commit your work, then: git -C ${first} merge ${heldRef}).`;
    options.logger.warn({ event: 'commit-held', branch, heldRef, tip: commit, checkouts: blocked.map((checkout) => checkout.directory) }, note);
    return { ...promotion, checkout: 'left-untouched', held: true, ref: heldRef, checkoutNote: note };
  }

  const update = await runGit(repoRoot, ['update-ref', '-m', reflog, ref, commit, branchTip ?? ''], { allowFailure: true, ...signalOption });
  if (update.exitCode !== 0) {
    moved(update.stderr.trim());
  }
  // The branch carries the held commits now.
  if (heldTip !== null) await runGit(repoRoot, ['update-ref', '-d', heldRef, heldTip], { allowFailure: true, ...signalOption });
  if (checkouts.length === 0 || branchTip === null) return promotion;

  const notes: string[] = [];
  for (const checkout of checkouts) {
    // A two-tree merge from the old tip to the new one: exactly what a fast-forward writes;
    // it refuses (and writes nothing) if an untracked file appeared since the dry run.
    const forward = await runGit(checkout.directory, ['read-tree', '-m', '-u', branchTip, commit], { allowFailure: true, ...signalOption });
    if (forward.exitCode !== 0) notes.push(`${branch} is checked out in ${checkout.directory} but could not be fast-forwarded (${forward.stderr.trim()}); its files were left untouched. Catch up there with: git read-tree -m -u ${branchTip} ${commit}`);
  }
  if (notes.length === 0) return { ...promotion, checkout: 'fast-forwarded' };
  const note = notes.join('\n');
  options.logger.warn({ event: 'checkout-left-untouched', branch, tip: commit }, note);
  return { ...promotion, checkout: 'left-untouched', checkoutNote: note };
}

async function readTip(repoRoot: string, ref: string, signal?: AbortSignal): Promise<string | null> {
  const tip = await runGit(repoRoot, ['rev-parse', '--verify', '-q', `${ref}^{commit}`], { allowFailure: true, ...(signal ? { signal } : {}) });
  return tip.exitCode === 0 ? tip.stdout.trim() : null;
}
