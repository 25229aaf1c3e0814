// Where a cycle starts: the tip of the agent's branch, or HEAD when the branch does not exist yet.
import { RepositoryError } from '../errors.js';
import { runGit } from './git-environment.js';

export interface BranchBase {
  /** Commit the next change is based on: the branch tip, or HEAD when the branch is absent. */
  commit: string;
  /** The branch tip expected at promotion time; null when the branch does not exist yet. */
  expectedTip: string | null;
}

/** Where a cycle starts: the tip of `branch`, or HEAD when `branch` does not exist yet. */
export async function resolveBranchBase(repoRoot: string, branch: string, signal?: AbortSignal): Promise<BranchBase> {
  const options = { allowFailure: true, ...(signal ? { signal } : {}) };
  const tip = await runGit(repoRoot, ['rev-parse', '--verify', '-q', `refs/heads/${branch}^{commit}`], options);
  if (tip.exitCode === 0) return { commit: tip.stdout.trim(), expectedTip: tip.stdout.trim() };
  const head = await runGit(repoRoot, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { allowFailure: true, ...(signal ? { signal } : {}) });
  if (head.exitCode !== 0) {
    throw new RepositoryError(`${repoRoot}: the repository has no commit yet, so there is nothing to evolve from. Commit your files first (git add -A && git commit -m "initial").`);
  }
  return { commit: head.stdout.trim(), expectedTip: null };
}
