// The closing words of `hephaestus run` about who did the thinking: the model's calls and
// tokens, or, for the offline engine (which spends no tokens), what it found and carried out.
import type { UsageTotals } from '../llm/types.js';
import type { CycleRecord } from '../cycle/cycle-record.js';

const plural = (count: number, word: string, many = `${word}s`) => `${count} ${count === 1 ? word : many}`;

/** `usesModel`: the planner plans with a model (false for the offline engine). */
export function describeModelWork(cycles: readonly CycleRecord[], usage: UsageTotals, usesModel: boolean): string {
  if (usesModel) {
    const cached = usage.cachedTokensIn > 0 ? ` (${usage.cachedTokensIn} input from the prompt cache)` : '';
    return `LLM: ${plural(usage.calls, 'call')}, ${plural(usage.cacheHits, 'cache hit')}, ${plural(usage.tokensIn + usage.tokensOut, 'token')}${cached}, ${formatUsd(usage.cost)}.`;
  }
  const worked = cycles.filter((cycle) => cycle.objective !== null);
  const committed = worked.filter((cycle) => cycle.outcome === 'committed').length;
  const nothing = cycles.filter((cycle) => cycle.reason === 'NOTHING_TO_DO').length;
  const found = worked.length === 0 ? 'found nothing to fix' : `found ${plural(worked.length, 'fix', 'fixes')} in the code and carried out ${committed}`;
  return `Offline engine (no model, no network): ${found}${nothing > 0 && worked.length > 0 ? `; ${plural(nothing, 'cycle')} found nothing left to fix` : ''}.`;
}

/** "$0.0123": four decimals, since a cycle often costs less than a cent. */
export function formatUsd(amount: number): string {
  return `$${amount.toFixed(4)}`;
}
