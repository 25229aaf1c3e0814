// What a pull request for the evolution branch would contain: the branch it targets and the
// commits the branch adds to it (all runs so far, not only the current one).
import { runGit } from '../git/git-environment.js';
import type { BranchCommit } from './render-pull-request.js';

export interface BranchComparison {
  base: string | null;
  commits: BranchCommit[];
}

const MAX_COMMITS = 500;

/**
 * The base is the remote's default branch (refs/remotes/<remote>/HEAD) when known, else the
 * branch checked out in the repository (what a scheduled CI job checks out), else unknown.
 */
export async function compareWithBase(repoRoot: string, remote: string, branch: string, signal: AbortSignal): Promise<BranchComparison> {
  const base = await pullRequestBase(repoRoot, remote, branch, signal);
  const baseRef = base ? await firstExisting(repoRoot, [`refs/remotes/${remote}/${base}`, `refs/heads/${base}`], signal) : null;
  const range = baseRef ? [`${baseRef}..refs/heads/${branch}`] : [`refs/heads/${branch}`];
  const log = await runGit(repoRoot, ['log', `--max-count=${MAX_COMMITS}`, '--format=%H%x09%s', ...range, '--'], { allowFailure: true, signal });
  const commits = log.exitCode !== 0 ? [] : log.stdout.split('\n').filter((line) => line.includes('\t')).map((line) => {
    const [sha = '', ...subject] = line.split('\t');
    return { sha, subject: subject.join('\t') };
  });
  return { base, commits };
}

async function pullRequestBase(repoRoot: string, remote: string, branch: string, signal: AbortSignal): Promise<string | null> {
  const remoteHead = await runGit(repoRoot, ['symbolic-ref', '-q', '--short', `refs/remotes/${remote}/HEAD`], { allowFailure: true, signal });
  if (remoteHead.exitCode === 0 && remoteHead.stdout.trim().startsWith(`${remote}/`)) return remoteHead.stdout.trim().slice(remote.length + 1);
  const head = await runGit(repoRoot, ['symbolic-ref', '-q', '--short', 'HEAD'], { allowFailure: true, signal });
  const current = head.stdout.trim();
  return head.exitCode === 0 && current !== '' && current !== branch ? current : null;
}

async function firstExisting(repoRoot: string, refs: string[], signal: AbortSignal): Promise<string | null> {
  for (const ref of refs) {
    const found = await runGit(repoRoot, ['rev-parse', '--verify', '-q', `${ref}^{commit}`], { allowFailure: true, signal });
    if (found.exitCode === 0) return ref;
  }
  return null;
}
