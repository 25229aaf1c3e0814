// One evolution cycle, phase by phase (DESIGN.md §1): objective → manifest → Architect →
// pre-check → Maestro → strategy in a sandbox → promote + commit → record. Each phase is a
// function returning a value or an outcome; this fold keeps the cycle's state as an immutable
// value and turns the first outcome into the record. Nothing is thrown to end a cycle.
import { AbortedError, isHephaestusError } from '../core/errors.js';
import { contentAtCommit } from '../git/content-at-commit.js';
import { resolveBranchBase } from '../git/resolve-branch-base.js';
import { createUsageMeter } from '../llm/usage-meter.js';
import type { UsageMeter } from '../llm/types.js';
import { readQueue } from '../objectives/objective-queue.js';
import { changeDiff } from '../patches/change-diff.js';
import { affectedTests } from '../scanner/import-graph.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import type { CycleContext } from './cycle-context.js';
import { isCycleOutcome, type CycleOutcome } from './cycle-outcome.js';
import type { CycleRecord, Outcome } from './cycle-record.js';
import { createPhaseTimer, type PhaseTimer } from './phase-timer.js';
import { buildManifest, refreshManifest } from './phases/build-manifest.js';
import { explainByBaseline, knownBaselineFailure } from './phases/check-base-line.js';
import { checkLoopGuard, chooseObjective, lookAhead, type CycleObjective, type LookAhead } from './phases/choose-objective.js';
import { chooseStrategies } from './phases/choose-strategies.js';
import { commitChange } from './phases/commit-change.js';
import { learnFromCommit, learnFromFailure } from './phases/learn-from-cycle.js';
import { planCandidates } from './phases/plan-candidates.js';
import { validateCandidates, type Candidate, type ValidationOutcome } from './phases/validate-candidates.js';
import { isReasonCode, type ReasonCode } from './reason-codes.js';

export interface CycleInput {
  n: number;
  /** A one-off objective for this cycle. */
  oneOff: string | null;
  /** Plans per cycle, validated concurrently. */
  candidates: number;
  /** The objective proposed during the previous cycle, if any. */
  lookAhead: LookAhead | null;
  /** Propose the next objective while this cycle validates (there is a next cycle and the planner allows it). */
  planAhead: boolean;
  /** Stop after validation: report the change and the verdict (a change-validated event), commit and learn nothing. */
  dryRun?: boolean;
}

export interface CycleResult {
  record: CycleRecord;
  /** The next cycle's objective, being proposed; null when none was started. */
  lookAhead: LookAhead | null;
}

/** What the record says so far; every phase returns a new one. */
interface CycleState {
  readonly objective: CycleObjective | null;
  readonly strategy: string | null;
  readonly files: readonly string[];
  readonly steps: readonly string[];
}

interface Ending {
  outcome: Outcome;
  reason: ReasonCode | null;
  detail: string;
  commit: string | null;
}

export async function runCycle(input: CycleInput, runContext: CycleContext): Promise<CycleResult> {
  const context: CycleContext = { ...runContext, logger: runContext.logger.child({ cycle: input.n }) };
  const startedAt = new Date(context.clock.now());
  const timer = createPhaseTimer(input.n, context.onEvent);
  const meter = createUsageMeter({ tokenLimit: context.config.llm.budget.tokensPerCycle });
  const sandboxes: Sandbox[] = [];
  let state: CycleState = { objective: null, strategy: null, files: [], steps: [] };
  let next: LookAhead | null = null;
  let baseCommit: string | null = null;
  context.onEvent?.({ type: 'cycle-start', n: input.n });

  const evolve = async (): Promise<Ending> => {
    const { config, signal } = context;
    const base = await resolveBranchBase(context.repoRoot, config.git.branch, signal);
    baseCommit = base.commit;
    const primary = await context.pool.acquire(base.commit, signal);
    sandboxes.push(primary);
    const workspace = primary.root;

    const built = await timer.time('manifest', () => buildManifest(workspace, context));

    const chosen = await timer.time('objective', () => chooseObjective({ ...built, oneOff: input.oneOff, lookAhead: input.lookAhead, workspace, baseCommit: base.commit, meter, keepQueue: input.dryRun ?? false }, context));
    if (isCycleOutcome(chosen)) return ended(chosen);
    state = { ...state, objective: chosen };
    context.onEvent?.({ type: 'objective-chosen', n: input.n, objective: chosen.text, source: chosen.source });
    const guarded = checkLoopGuard(chosen, context);
    if (isCycleOutcome(guarded)) return ended(guarded);

    const planned = await timer.time('architect', () => planCandidates({ ...built, objective: chosen, workspace, baseCommit: base.commit, candidates: input.candidates, meter, timer, keepQueue: input.dryRun ?? false }, context));
    if (isCycleOutcome(planned)) {
      if (planned.reason === 'ARCHITECT_FAILED') state = { ...state, files: chosen.files };
      return failed(planned, null);
    }

    const choices = await timer.time('maestro', () => chooseStrategies(planned, built.scan, meter, context));
    const runnable = planned.filter((candidate) => choices.get(candidate)!.strategy !== 'DISCARD');
    if (runnable.length === 0) {
      const choice = choices.get(planned[0]!)!;
      state = { ...state, strategy: choice.strategy };
      return { outcome: 'rejected', reason: 'DISCARDED', detail: `the Maestro discarded the plan: ${choice.reason}`, commit: null };
    }

    // A step known to fail on this base cannot judge the plan: say so before validating it.
    const knownFailure = await knownBaselineFailure(runnable.map((candidate) => choices.get(candidate)!.strategy), base.commit, context);
    if (knownFailure) {
      state = { ...state, strategy: choices.get(runnable[0]!)!.strategy };
      return ended(knownFailure);
    }

    if (input.planAhead && (await queueIsEmpty(context))) {
      next = lookAhead({ ...built, workspace, baseCommit: base.commit, current: chosen.text, meter: createUsageMeter({ tokenLimit: config.llm.budget.tokensPerCycle }) }, context);
    }

    const validated = await timer.time('validation', () =>
      validateCandidates(runnable, {
        base: base.commit,
        primary,
        pool: context.pool,
        sandboxes,
        strategyOf: (candidate) => choices.get(candidate)!.strategy,
        config,
        affectedTests: (files) => affectedTests(built.scan, files),
        // The regenerated AGENTS.md is part of what gets validated, not added afterwards.
        prepare: (sandbox, candidate) => refreshManifest(sandbox, candidate, built.scan, context),
        logger: context.logger,
        signal,
      }),
    );
    state = { ...state, strategy: validated.strategy, files: [...validated.candidate.changes.keys()].sort(), steps: validated.steps };
    if (input.dryRun) return dryRunVerdict(validated, base.commit);
    for (const result of validated.results) {
      context.memory.recordStrategy(result.strategy, result.ok, result.durationMs);
      if (result.flaky.length > 0) context.memory.recordFlakyTests(result.flaky);
    }
    if (!validated.passed) {
      const failure = validated.failure!;
      // The plan is not to blame when the step fails on the untouched base too: nothing is learned from it.
      const onBase = failure.step
        ? await timer.time('validation', () => explainByBaseline({ failure: failure.step!, sandbox: validated.sandbox, baseCommit: base.commit, affectedTests: (files) => affectedTests(built.scan, files) }, context))
        : null;
      if (onBase) return ended({ ...onBase, detail: await context.redactor.discover(onBase.detail) });
      // Test output may print secrets of well-known shapes: learn them before anything is recorded.
      return failed({ outcome: 'rejected', reason: failure.reason, detail: await context.redactor.discover(failure.detail) }, validated.candidate);
    }

    const committed = await timer.time('commit', () =>
      commitChange({ objective: chosen.text, sandbox: validated.sandbox, candidate: validated.candidate, strategy: validated.strategy, steps: validated.steps, expectedTip: base.expectedTip, scan: built.scan, meter }, context),
    );
    if (isCycleOutcome(committed)) return committed.reason === 'REGRESSION_ROLLED_BACK' ? failed(committed, validated.candidate) : ended(committed);
    learnFromCommit(chosen, context);
    const detail = `committed ${committed.commit.slice(0, 12)} to ${config.git.branch}${committed.note ? `\n${committed.note}` : ''}`;
    return { outcome: 'committed', reason: null, detail, commit: committed.commit };
  };

  /** A dry run's end: the change and the verdict go to the listener; nothing is committed or learnt. */
  const dryRunVerdict = async (validated: ValidationOutcome, base: string): Promise<Ending> => {
    const diff = await changeDiff(validated.candidate.changes, (file) => contentAtCommit(context.repoRoot, base, file, context.signal));
    const failure = validated.failure;
    const detail = failure ? await context.redactor.discover(failure.detail) : `dry run: ${validated.strategy} passed (${validated.steps.join(', ') || 'no step ran'}); nothing was committed`;
    context.onEvent?.({ type: 'change-validated', n: input.n, strategy: validated.strategy, steps: validated.steps, passed: validated.passed, reason: failure?.reason ?? null, files: [...state.files], diff: context.redactor.redact(diff) });
    return failure ? { outcome: 'rejected', reason: failure.reason, detail, commit: null } : { outcome: 'skipped', reason: 'DRY_RUN', detail, commit: null };
  };

  /** A failure the memory learns from (and a correction objective, when one helps); a dry run learns nothing. */
  const failed = async (outcome: Pick<CycleOutcome, 'outcome' | 'reason' | 'detail'>, candidate: Candidate | null): Promise<Ending> => {
    if (state.objective && !input.dryRun) await learnFromFailure({ objective: state.objective, strategy: state.strategy, reason: outcome.reason, detail: outcome.detail, candidate, baseCommit }, context);
    return ended(outcome);
  };

  let ending: Ending;
  try {
    ending = await evolve();
  } catch (error) {
    ending = failure(error, input.n, context);
  } finally {
    for (const sandbox of sandboxes) context.pool.release(sandbox);
  }
  const record: CycleRecord = {
    runId: context.runId,
    n: input.n,
    objective: state.objective ? context.redactor.redact(state.objective.text) : null,
    strategy: state.strategy,
    ...ending,
    detail: context.redactor.redact(ending.detail),
    files: [...state.files],
    steps: [...state.steps],
    durationsMs: timer.durations(),
    llm: usageOf(meter, input.lookAhead?.meter ?? null),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date(context.clock.now()).toISOString(),
  };
  context.logger.info({ event: 'cycle-recorded', outcome: record.outcome, reason: record.reason, commit: record.commit }, `cycle ${input.n}: ${record.outcome}${record.reason ? ` (${record.reason})` : ''}`);
  return { record, lookAhead: next };
}

function ended(outcome: Pick<CycleOutcome, 'outcome' | 'reason' | 'detail'>): Ending {
  return { outcome: outcome.outcome, reason: outcome.reason, detail: outcome.detail, commit: null };
}

/** An error that escaped a phase: the cycle failed with the error's code. */
function failure(error: unknown, n: number, context: CycleContext): Ending {
  if (context.signal.aborted || error instanceof AbortedError) return { outcome: 'failed', reason: 'ABORTED', detail: 'the run was interrupted; the cycle stopped cleanly', commit: null };
  const code = isHephaestusError(error) ? error.code : 'UNEXPECTED_ERROR';
  const message = (error as Error).message;
  // The console gets one line; the stack goes to the log file at debug level.
  context.logger.error({ code }, `cycle ${n} failed: ${message}`);
  context.logger.debug({ err: error }, 'cycle-failed');
  return isReasonCode(code)
    ? { outcome: 'failed', reason: code, detail: message, commit: null }
    : { outcome: 'failed', reason: 'UNEXPECTED_ERROR', detail: `[${code}] ${message}`, commit: null };
}

async function queueIsEmpty(context: CycleContext): Promise<boolean> {
  const queue = await readQueue(context.stateDir);
  return queue.user.length === 0 && queue.stack.length === 0;
}

/** This cycle's usage, plus what proposing its objective cost during the previous cycle. */
function usageOf(own: UsageMeter, early: UsageMeter | null): CycleRecord['llm'] {
  const add = (key: 'calls' | 'cacheHits' | 'tokensIn' | 'tokensOut' | 'cachedTokensIn' | 'cost') => own.totals[key] + (early?.totals[key] ?? 0);
  return { calls: add('calls'), cacheHits: add('cacheHits'), tokensIn: add('tokensIn'), tokensOut: add('tokensOut'), cachedTokensIn: add('cachedTokensIn'), cost: add('cost') };
}
