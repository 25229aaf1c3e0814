// `hephaestus undo [N] [--repo DIR]`: reverts the last N (1) evolution commits of the branch with
// one new commit, promoted by compare-and-swap; it takes the run lock, so no run is going.
import { undoEvolutionCommits } from '../../git/undo-commits.js';
import { openCommandContext, type GlobalOptions } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import type { CliRuntime } from '../cli-runtime.js';

export async function runUndoCommand(count: number, options: GlobalOptions, runtime: CliRuntime): Promise<number> {
  const context = await openCommandContext({ ...options, command: 'undo', lock: true, signal: runtime.signal, onLogger: (handle) => runtime.loggers.add(handle) });
  try {
    const { config } = context.loaded;
    const result = await undoEvolutionCommits({
      repoRoot: context.repository.root,
      scratchDir: context.stateDir,
      branch: config.git.branch,
      author: config.git.author,
      count,
      logger: context.logger,
      signal: context.signal,
    });
    const what = result.reverted.map((entry) => `${entry.commit.slice(0, 10)} ${entry.subject}`);
    runtime.io.out(`Reverted ${result.reverted.length} evolution commit${result.reverted.length === 1 ? '' : 's'} on ${config.git.branch} with ${result.revertCommit.slice(0, 12)}:`);
    for (const line of what) runtime.io.out(`  ${line}`);
    runtime.io.out('Nothing was rewritten: the revert is a new commit on top, safe to push.');
    if (result.promotion.checkoutNote) runtime.io.err(result.promotion.checkoutNote);
    return EXIT.ok;
  } finally {
    await context.close();
  }
}
