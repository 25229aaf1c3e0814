// Accounting scopes: a meter per cycle (created by the cycle runner) and one per run (inside
// the client). A cached reply counts as a call and a cache hit but spends no tokens or cost.
import type { CompletionResult, UsageMeter, UsageTotals } from './types.js';

export interface UsageMeterOptions {
  /** Token budget of this scope (input + output); null or absent for none. */
  tokenLimit?: number | null;
}

export function emptyTotals(): UsageTotals {
  return { calls: 0, cacheHits: 0, tokensIn: 0, tokensOut: 0, cachedTokensIn: 0, cost: 0 };
}

export function createUsageMeter(options: UsageMeterOptions = {}): UsageMeter {
  const totals = emptyTotals();
  return {
    totals,
    tokenLimit: options.tokenLimit ?? null,
    add(result: CompletionResult) {
      totals.calls += 1;
      if (result.cached) {
        totals.cacheHits += 1;
        return;
      }
      totals.tokensIn += result.usage.inputTokens;
      totals.tokensOut += result.usage.outputTokens;
      totals.cachedTokensIn += result.usage.cachedInputTokens ?? 0;
      totals.cost += result.cost;
    },
  };
}

export function tokensSpent(totals: UsageTotals): number {
  return totals.tokensIn + totals.tokensOut;
}

