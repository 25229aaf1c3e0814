// Every checkout of a branch (`git worktree list`): the main working tree and linked worktrees.
// Before the branch moves, each must be clean and able to take the fast-forward; otherwise the
// branch stays where it is and the commit is held (agent/git/held-commits.ts).
import { runGit } from '../git/git-environment.js';

export interface BranchCheckout {
  directory: string;
  /** Uncommitted changes to tracked files, or the fast-forward would overwrite an untracked file. */
  blocked: string | null;
}

/** Checkouts with `ref` checked out, each with why it could not be fast-forwarded from `from` to `to` (null: it can). */
export async function inspectBranchCheckouts(repoRoot: string, ref: string, from: string, to: string, signal?: AbortSignal): Promise<BranchCheckout[]> {
  const options = { allowFailure: true, ...(signal ? { signal } : {}) };
  const listed = await runGit(repoRoot, ['worktree', 'list', '--porcelain', '-z'], options);
  if (listed.exitCode !== 0) return [];
  const checkouts: BranchCheckout[] = [];
  for (const directory of checkoutsOf(listed.stdout, ref)) {
    await runGit(directory, ['update-index', '-q', '--refresh'], options);
    const status = await runGit(directory, ['status', '--porcelain', '--untracked-files=no'], options);
    if (status.exitCode !== 0 || status.stdout.trim() !== '') {
      checkouts.push({ directory, blocked: 'it has uncommitted changes' });
      continue;
    }
    // A dry run of the two-tree merge a fast-forward writes: it refuses when an untracked file is in the way.
    const dryRun = await runGit(directory, ['read-tree', '-m', '-u', '-n', from, to], options);
    checkouts.push({ directory, blocked: dryRun.exitCode === 0 ? null : `the fast-forward would overwrite a file there (${dryRun.stderr.trim().split('\n')[0]})` });
  }
  return checkouts;
}

/** The worktree directories whose HEAD is `ref`, from `git worktree list --porcelain -z`. */
function checkoutsOf(listing: string, ref: string): string[] {
  const directories: string[] = [];
  let directory: string | null = null;
  for (const field of listing.split('\0')) {
    if (field.startsWith('worktree ')) directory = field.slice('worktree '.length);
    else if (field === `branch ${ref}` && directory !== null) directories.push(directory);
  }
  return directories;
}
