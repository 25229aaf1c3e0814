// The data behind `hephaestus report`, as a pure function of the cycle records, the commits'
// details and any eval results: what the page embeds as JSON and draws its charts from.
import { OUTCOMES, PHASES, type CycleRecord, type Outcome, type Phase } from '../cycle/cycle-record.js';
import type { CommitDetails } from './commit-details.js';
import type { EvalTable } from './eval-table.js';

export interface ReportCycle {
  /** Run number, 1, 2, 3… in the order runs first appear in the whole log. */
  run: number;
  n: number;
  startedAt: string;
  durationMs: number;
  outcome: Outcome;
  reason: string | null;
  strategy: string | null;
  objective: string | null;
  commit: string | null;
  /** Milliseconds per phase, in the order of `phases`. */
  phasesMs: number[];
  /** Input tokens sent (not read from the provider's prompt cache), cached input tokens, output tokens. */
  tokensIn: number;
  cachedTokensIn: number;
  tokensOut: number;
  cost: number;
}

export interface ReasonCount {
  reason: string;
  outcome: Outcome;
  count: number;
}

export interface StrategySummary {
  name: string;
  cycles: number;
  committed: number;
  /** committed / cycles. */
  rate: number;
}

export interface ReportTotals {
  runs: number;
  cycles: number;
  commits: number;
  outcomes: Record<Outcome, number>;
  /** committed / cycles that were not skipped; 0 when none was attempted. */
  successRate: number;
  tokensIn: number;
  cachedTokensIn: number;
  tokensOut: number;
  cost: number;
}

export interface ReportData {
  generatedAt: string;
  repository: { name: string; branch: string };
  period: { from: string | null; to: string | null };
  filter: { since: string | null; runs: number | null };
  phases: readonly Phase[];
  totals: ReportTotals;
  cycles: ReportCycle[];
  reasons: ReasonCount[];
  strategies: StrategySummary[];
  commits: CommitDetails[];
  evaluation: EvalTable | null;
}

export interface ReportSource {
  repositoryName: string;
  branch: string;
  /** The selected records, oldest first, with their run numbers over the whole log. */
  records: readonly CycleRecord[];
  runNumbers: ReadonlyMap<string, number>;
  commits: readonly CommitDetails[];
  evaluation: EvalTable | null;
  filter: ReportData['filter'];
  generatedAt: string;
}

export function buildReportData(source: ReportSource): ReportData {
  const cycles = source.records.map((record) => reportCycleOf(record, source.runNumbers.get(record.runId) ?? 0));
  const outcomes = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
  for (const cycle of cycles) outcomes[cycle.outcome] += 1;
  const attempted = cycles.length - outcomes.skipped;
  const sum = (pick: (cycle: ReportCycle) => number) => cycles.reduce((total, cycle) => total + pick(cycle), 0);
  return {
    generatedAt: source.generatedAt,
    repository: { name: source.repositoryName, branch: source.branch },
    period: { from: source.records[0]?.startedAt ?? null, to: source.records.at(-1)?.finishedAt ?? null },
    filter: source.filter,
    phases: PHASES,
    totals: {
      runs: new Set(source.records.map((record) => record.runId)).size,
      cycles: cycles.length,
      commits: source.commits.length,
      outcomes,
      successRate: attempted === 0 ? 0 : outcomes.committed / attempted,
      tokensIn: sum((cycle) => cycle.tokensIn),
      cachedTokensIn: sum((cycle) => cycle.cachedTokensIn),
      tokensOut: sum((cycle) => cycle.tokensOut),
      cost: sum((cycle) => cycle.cost),
    },
    cycles,
    reasons: countReasons(cycles),
    strategies: summariseStrategies(cycles),
    commits: [...source.commits],
    evaluation: source.evaluation,
  };
}

function reportCycleOf(record: CycleRecord, run: number): ReportCycle {
  return {
    run,
    n: record.n,
    startedAt: record.startedAt,
    durationMs: Math.max(0, Date.parse(record.finishedAt) - Date.parse(record.startedAt)),
    outcome: record.outcome,
    reason: record.reason,
    strategy: record.strategy,
    objective: record.objective,
    commit: record.commit,
    phasesMs: PHASES.map((phase) => Math.round(record.durationsMs[phase] ?? 0)),
    // The record's tokensIn includes the cached input tokens; the page stacks them apart.
    tokensIn: Math.max(0, record.llm.tokensIn - record.llm.cachedTokensIn),
    cachedTokensIn: record.llm.cachedTokensIn,
    tokensOut: record.llm.tokensOut,
    cost: record.llm.cost,
  };
}

/** Reasons of the cycles that did not commit, most frequent first (then by name). */
function countReasons(cycles: readonly ReportCycle[]): ReasonCount[] {
  const counts = new Map<string, ReasonCount>();
  for (const cycle of cycles) {
    if (cycle.outcome === 'committed' || cycle.reason === null) continue;
    const key = `${cycle.outcome}\u0000${cycle.reason}`;
    const entry = counts.get(key) ?? { reason: cycle.reason, outcome: cycle.outcome, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((left, right) => right.count - left.count || left.reason.localeCompare(right.reason));
}

/** Every strategy a cycle ran, with how many of its cycles committed; most used first. */
function summariseStrategies(cycles: readonly ReportCycle[]): StrategySummary[] {
  const summaries = new Map<string, StrategySummary>();
  for (const cycle of cycles) {
    if (cycle.strategy === null) continue;
    const entry = summaries.get(cycle.strategy) ?? { name: cycle.strategy, cycles: 0, committed: 0, rate: 0 };
    entry.cycles += 1;
    if (cycle.outcome === 'committed') entry.committed += 1;
    entry.rate = entry.committed / entry.cycles;
    summaries.set(cycle.strategy, entry);
  }
  return [...summaries.values()].sort((left, right) => right.cycles - left.cycles || left.name.localeCompare(right.name));
}
