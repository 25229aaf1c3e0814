// Runs numbered 1, 2, 3… in the order they first appear in the evolution log, so a cycle reads
// "run 3 · cycle 2" instead of a cycle number that restarts with every run.
import type { CycleRecord } from '../cycle/cycle-record.js';

export function runNumbers(records: readonly Pick<CycleRecord, 'runId'>[]): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const record of records) if (!numbers.has(record.runId)) numbers.set(record.runId, numbers.size + 1);
  return numbers;
}

export function cycleLabel(record: Pick<CycleRecord, 'runId' | 'n'>, numbers: ReadonlyMap<string, number>): string {
  const run = numbers.get(record.runId);
  return run === undefined ? `cycle ${record.n}` : `run ${run} · cycle ${record.n}`;
}

/** The number the next run gets: one more than the runs the log holds. */
export function nextRunNumber(records: readonly Pick<CycleRecord, 'runId'>[]): number {
  return runNumbers(records).size + 1;
}
