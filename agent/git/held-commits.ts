// Where validated commits wait when the evolution branch cannot move: another checkout of the
// branch has uncommitted work, and moving the branch under it would make that checkout show
// changes its user did not make. `refs/hephaestus/held/<branch>` keeps them; later cycles
// build on it, and the first promotion that can move the branch takes them all along.
import { runGit } from './git-environment.js';

export function heldRefOf(branch: string): string {
  return `refs/hephaestus/held/${branch}`;
}

/** The held tip when it still builds on the branch tip (or the branch is absent); null otherwise. */
export async function readHeldTip(repoRoot: string, branch: string, branchTip: string | null, signal?: AbortSignal): Promise<string | null> {
  const options = { allowFailure: true, ...(signal ? { signal } : {}) };
  const held = await runGit(repoRoot, ['rev-parse', '--verify', '-q', `${heldRefOf(branch)}^{commit}`], options);
  if (held.exitCode !== 0) return null;
  const tip = held.stdout.trim();
  if (branchTip === null) return null;
  if (tip === branchTip) return tip;
  // A held commit the branch no longer leads to (someone moved the branch) is left for the user to look at.
  const descends = await runGit(repoRoot, ['merge-base', '--is-ancestor', branchTip, tip], options);
  return descends.exitCode === 0 ? tip : null;
}
