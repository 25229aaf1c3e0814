// The lines `hephaestus run` prints about the remote after an unattended run: what was pushed,
// and what became of the pull request (opened, updated, or how to open it by hand).
import type { CiSummary } from '../ci/run-ci-cycles.js';

export function ciNotes(summary: Pick<CiSummary, 'remote' | 'pullRequest'>): string[] {
  const notes: string[] = [];
  const { remote, pullRequest } = summary;
  if (remote) notes.push(remote.pushed ? `Pushed ${remote.branch} to ${remote.remote} (${remote.tip?.slice(0, 12)}).` : `${remote.branch}: nothing new to push to ${remote.remote}.`);
  if (pullRequest) notes.push(pullRequest.message);
  return notes;
}
