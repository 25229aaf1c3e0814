// What `run --dry-run` prints for each validated change: the diff against the base, then the
// verdict in one sentence (what would have been committed, or why it would have been rejected).
import type { CycleEvent } from '../cycle/cycle-events.js';

export type ChangeValidated = Extract<CycleEvent, { type: 'change-validated' }>;

export function formatDryRunChange(change: ChangeValidated): string {
  const steps = change.steps.length > 0 ? change.steps.join(', ') : 'no step';
  const verdict = change.passed
    ? `Dry run, cycle ${change.n}: ${change.strategy} passed (${steps} ran); this change would be committed. Nothing was committed.`
    : `Dry run, cycle ${change.n}: rejected (${change.reason ?? 'VALIDATION_FAILED'}) under ${change.strategy} after ${steps}; it would not be committed. Nothing was committed.`;
  const diff = change.diff.trimEnd();
  return `${diff === '' ? '(the change leaves every file as it was)' : diff}\n${verdict}`;
}
