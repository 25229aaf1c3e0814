// Cycle records for tests that start from an evolution history: every field has a neutral
// default (a skipped cycle of one minute, no LLM use), the test sets what it is about.
import type { CycleRecord } from '../../agent/cycle/cycle-record.js';

export function cycleRecord(fields: Partial<CycleRecord> = {}): CycleRecord {
  const startedAt = fields.startedAt ?? '2025-01-01T00:00:00.000Z';
  return {
    runId: 'run-1',
    n: 1,
    objective: null,
    strategy: null,
    outcome: 'skipped',
    reason: null,
    detail: '',
    commit: null,
    files: [],
    steps: [],
    durationsMs: { objective: 0, manifest: 0, architect: 0, precheck: 0, maestro: 0, validation: 0, commit: 0 },
    llm: { calls: 0, cacheHits: 0, tokensIn: 0, tokensOut: 0, cachedTokensIn: 0, cost: 0 },
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 60_000).toISOString(),
    ...fields,
  };
}
