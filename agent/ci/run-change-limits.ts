// Per-run change limits of unattended runs (ci.maxFilesPerRun, ci.maxChangedLinesPerRun): the
// net change of the run so far is measured after each commit; the run stops when a limit is
// reached, and the next cycle's size guards shrink to what is left so no cycle can overshoot.
import type { Config } from '../config/schema.js';
import { runGit } from '../git/git-environment.js';

export interface RunChange {
  files: number;
  changedLines: number;
}

export interface RunChangeLimits {
  maxFiles: number;
  maxChangedLines: number;
}

/** Files and lines changed between `base` and `tip`, leaving out paths the agent regenerates (AGENTS.md). */
export async function measureRunChange(repoRoot: string, base: string, tip: string, excluded: readonly string[], signal: AbortSignal): Promise<RunChange> {
  const pathspecs = excluded.map((file) => `:(exclude,literal)${file}`);
  const result = await runGit(repoRoot, ['diff', '--numstat', '--no-renames', base, tip, '--', '.', ...pathspecs], { signal });
  let files = 0;
  let changedLines = 0;
  for (const line of result.stdout.split('\n')) {
    const [added, deleted] = line.split('\t');
    if (added === undefined || deleted === undefined) continue;
    files += 1;
    // Binary files show "-": count them as one line each.
    changedLines += (added === '-' ? 1 : Number(added)) + (deleted === '-' ? 0 : Number(deleted));
  }
  return { files, changedLines };
}

/** Why the run must stop, or null while both limits leave room. */
export function runLimitReached(change: RunChange, limits: RunChangeLimits): string | null {
  if (change.files >= limits.maxFiles) return `ci.maxFilesPerRun ${limits.maxFiles} reached (${plural(change.files, 'file')} changed by this run)`;
  if (change.changedLines >= limits.maxChangedLines) return `ci.maxChangedLinesPerRun ${limits.maxChangedLines} reached (${plural(change.changedLines, 'line')} changed by this run)`;
  return null;
}

/** Size guards for the next cycle: the configured ones, narrowed to what the run has left. */
export function remainingGuards(guards: Config['guards'], change: RunChange, limits: RunChangeLimits): Pick<Config['guards'], 'maxFiles' | 'maxChangedLines'> {
  return {
    maxFiles: Math.max(1, Math.min(guards.maxFiles, limits.maxFiles - change.files)),
    maxChangedLines: Math.max(1, Math.min(guards.maxChangedLines, limits.maxChangedLines - change.changedLines)),
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
