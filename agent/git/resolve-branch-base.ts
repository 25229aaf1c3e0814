// Where a cycle starts: the tip of the agent's branch (or the commits held back for it, see
// held-commits.ts), or HEAD when the branch does not exist yet.
import { RepositoryError } from '../core/errors.js';
import { runGit } from './git-environment.js';
import { readHeldTip } from './held-commits.js';

export interface BranchBase {
  /** Commit the next change is based on: the held tip, else the branch tip, or HEAD when the branch is absent. */
  commit: string;
  /** The tip expected at promotion time (the held tip when there is one); null when the branch does not exist yet. */
  expectedTip: string | null;
}

/** Where a cycle starts: the tip of `branch` (or of the commits held for it), or HEAD when `branch` does not exist yet. */
export async function resolveBranchBase(repoRoot: string, branch: string, signal?: AbortSignal): Promise<BranchBase> {
  const options = { allowFailure: true, ...(signal ? { signal } : {}) };
  const tip = await runGit(repoRoot, ['rev-parse', '--verify', '-q', `refs/heads/${branch}^{commit}`], options);
  if (tip.exitCode === 0) {
    const commit = (await readHeldTip(repoRoot, branch, tip.stdout.trim(), signal)) ?? tip.stdout.trim();
    return { commit, expectedTip: commit };
  }
  const head = await runGit(repoRoot, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { allowFailure: true, ...(signal ? { signal } : {}) });
  if (head.exitCode !== 0) {
    throw new RepositoryError(`${repoRoot}: the repository has no commit yet, so there is nothing to evolve from. Commit your files first (git add -A && git commit -m "initial").`);
  }
  return { commit: head.stdout.trim(), expectedTip: null };
}
