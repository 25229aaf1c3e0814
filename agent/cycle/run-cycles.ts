// A run: cycles one after another until the count, a limit, the budget or an interrupt stops
// it. Limits that change between cycles (an unattended run's remaining change budget) come
// back from `afterCycle` and become the next cycle's config: a new value, never a write.
import type { Config } from '../config/schema.js';
import type { CycleContext } from './cycle-context.js';
import type { CycleRecord } from './cycle-record.js';
import type { LookAhead } from './phases/choose-objective.js';
import { runCycle } from './run-cycle.js';
import { appendCycleRecord } from '../state/evolution-log.js';

/** Failures no later cycle can get past (the provider refused the key, the model or the request): the run stops at once. */
export const RUN_STOPPING_REASONS: ReadonlySet<string> = new Set(['LLM_AUTH', 'LLM_MODEL_NOT_FOUND', 'LLM_BAD_REQUEST']);

/** A continuous run with nothing to do looks again after a pause that doubles each time, up to this. */
export const IDLE_PAUSE_LIMIT_MS = 30 * 60_000;
const IDLE_PAUSE_FLOOR_MS = 1_000;

export interface RunCyclesOptions {
  /** Number of cycles; null runs until stopped (continuous). */
  cycles: number | null;
  /** A one-off objective for the first cycle. */
  objective?: string;
  /** Architect plans per cycle, validated concurrently (default 1). */
  candidates?: number;
  /** Stop after this many commits. */
  maxCommits?: number;
  /** Stop starting cycles after this many minutes. */
  maxMinutes?: number;
  /** Called after each recorded cycle: a stop reason, and the guards for the next cycle (e.g. `run --ci`'s per-run change limits). */
  afterCycle?: (record: CycleRecord) => Promise<AfterCycle>;
  /** Plan, pre-check and validate, then stop before the commit: no branch, log, memory or queue is written. */
  dryRun?: boolean;
}

export interface AfterCycle {
  stop: string | null;
  /** Size guards for the next cycle, narrowed from the configured ones. */
  guards?: Partial<Pick<Config['guards'], 'maxFiles' | 'maxChangedLines'>>;
}

export interface RunSummary {
  runId: string;
  cycles: CycleRecord[];
  committed: number;
  branch: string;
  /** Why the run stopped before its cycle count, if it did. */
  stopReason: string | null;
}

export async function runCycles(options: RunCyclesOptions, runContext: CycleContext): Promise<RunSummary> {
  const { clock, signal } = runContext;
  const startedAt = clock.now();
  const records: CycleRecord[] = [];
  let context = runContext;
  let committed = 0;
  let stopReason: string | null = null;
  let ahead: LookAhead | null = null;
  runContext.onEvent?.({ type: 'run-start', runId: runContext.runId, cycles: options.cycles, dryRun: options.dryRun ?? false });
  /** Consecutive cycles that had nothing to do. */
  let idle = 0;

  for (let n = 1; options.cycles === null || n <= options.cycles; n++) {
    if (signal.aborted) {
      stopReason = 'interrupted';
      break;
    }
    if (options.maxMinutes !== undefined && clock.now() - startedAt >= options.maxMinutes * 60_000) {
      stopReason = `--max-minutes ${options.maxMinutes} reached`;
      break;
    }
    const more = options.cycles === null || n < options.cycles;
    const dryRun = options.dryRun ?? false;
    const { record, lookAhead } = await runCycle(
      {
        n,
        oneOff: n === 1 ? (options.objective ?? null) : null,
        candidates: Math.max(1, options.candidates ?? 1),
        lookAhead: ahead,
        planAhead: more && !dryRun && context.planner.capabilities.prefetchObjectives,
        dryRun,
      },
      context,
    );
    ahead = lookAhead;
    records.push(record);
    if (!dryRun) {
      await appendCycleRecord(context.stateDir, record);
      context.memory.save();
    }
    context.onEvent?.({ type: 'cycle-end', n, record });
    if (record.outcome === 'committed') committed += 1;
    if (record.reason === 'BUDGET_EXCEEDED') {
      stopReason = 'LLM budget exhausted';
      break;
    }
    if (record.reason !== null && RUN_STOPPING_REASONS.has(record.reason)) {
      // The key, the model or the request is wrong: every further call would fail the same way.
      stopReason = record.detail.split('\n')[0]!;
      break;
    }
    if (record.reason === 'ABORTED' || signal.aborted) {
      stopReason = 'interrupted';
      break;
    }
    // Every later plan would meet the same step failing on the same base: it is reported once.
    if (record.reason === 'BASELINE_FAILED') {
      stopReason = record.detail.split('\n')[0]!;
      break;
    }
    // The next cycle would ask the same planner about the same tree: it would have nothing either.
    if (record.reason === 'NOTHING_TO_DO' && options.cycles !== null && n < options.cycles) {
      stopReason = 'nothing to do';
      break;
    }
    if (options.maxCommits !== undefined && committed >= options.maxCommits) {
      stopReason = `--max-commits ${options.maxCommits} reached`;
      break;
    }
    if (dryRun && more) {
      stopReason = 'dry run: one cycle, since nothing was committed and the next would start from the same base';
      break;
    }
    const after = (await options.afterCycle?.(record)) ?? { stop: null };
    if (after.stop !== null) {
      stopReason = after.stop;
      break;
    }
    if (after.guards) context = { ...context, config: { ...context.config, guards: { ...context.config.guards, ...after.guards } } };
    idle = record.reason === 'NOTHING_TO_DO' ? idle + 1 : 0;
    if (options.cycles === null && !signal.aborted) await pause(pauseAfter(idle, runContext.config.run.continuousPauseMs), context, idle);
  }
  await ahead?.objective.catch(() => null);
  const branch = runContext.config.git.branch;
  runContext.onEvent?.({ type: 'run-end', runId: runContext.runId, cycles: records.length, committed, branch, stopReason });
  return { runId: runContext.runId, cycles: records, committed, branch, stopReason };
}

/** The configured pause; after cycles with nothing to do, a longer one each time (the tree may change meanwhile). */
export function pauseAfter(idleCycles: number, pauseMs: number): number {
  if (idleCycles === 0) return pauseMs;
  return Math.min(IDLE_PAUSE_LIMIT_MS, Math.max(pauseMs, IDLE_PAUSE_FLOOR_MS) * 2 ** (idleCycles - 1));
}

/** The pause between continuous cycles; an interrupt ends it early. */
async function pause(ms: number, context: CycleContext, idle: number): Promise<void> {
  if (ms <= 0) return;
  if (idle > 0) context.logger.info({ event: 'run-idle', idleCycles: idle, pauseMs: ms }, `nothing to do; looking again in ${Math.round(ms / 1000)} s`);
  await context.clock.sleep(ms, context.signal).catch(() => undefined);
}
