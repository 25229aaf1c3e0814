// A compact outcome summary in Markdown for a pull request body: the counts per outcome and
// per reason, and a Mermaid pie chart GitHub draws. The full picture is `hephaestus report`.
import { OUTCOMES, type CycleRecord } from '../cycle/cycle-record.js';

export function renderOutcomeSummary(cycles: readonly Pick<CycleRecord, 'outcome' | 'reason'>[]): string[] {
  if (cycles.length === 0) return [];
  const counts = OUTCOMES.map((outcome) => ({ outcome, count: cycles.filter((cycle) => cycle.outcome === outcome).length }));
  const reasons = new Map<string, number>();
  for (const cycle of cycles) if (cycle.outcome !== 'committed' && cycle.reason) reasons.set(cycle.reason, (reasons.get(cycle.reason) ?? 0) + 1);
  const reasonText = [...reasons.entries()].sort(([leftReason, left], [rightReason, right]) => right - left || leftReason.localeCompare(rightReason)).map(([reason, count]) => `\`${reason}\` ${count}`);
  return [
    `**Outcomes:** ${counts.map(({ outcome, count }) => `${count} ${outcome}`).join(', ')}${reasonText.length > 0 ? `. Reasons: ${reasonText.join(', ')}` : ''}.`,
    '',
    '```mermaid',
    'pie showData title Cycle outcomes',
    ...counts.filter(({ count }) => count > 0).map(({ outcome, count }) => `  "${outcome}" : ${count}`),
    '```',
    '',
    'The whole history, with charts and diffs, is one page: `hephaestus report` (kept as a build artifact by the scheduled workflow).',
  ];
}
