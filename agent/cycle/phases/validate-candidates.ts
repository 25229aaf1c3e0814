// The validation phase (DESIGN.md §1.6): one or more candidate plans, each in its own sandbox,
// concurrently; the first to pass wins and the others are cancelled (their processes killed
// through the signal).
import type { Logger } from 'pino';
import { throwIfAborted } from '../../core/abort.js';
import { strategiesOf, type Config } from '../../config/schema.js';
import type { PatchPlan } from '../../patches/plan-schema.js';
import type { Sandbox } from '../../../sandbox/sandbox.js';
import type { SandboxPool } from '../../../sandbox/sandbox-pool.js';
import { stepsThatRan } from '../../../strategies/check-validated.js';
import { runStrategy, type StrategyResult } from '../../../strategies/run-strategy.js';
import type { AffectedTests, StepResult } from '../../../strategies/steps/step.js';
import { baseInventory, canTakeInventory } from '../../../strategies/tests/base-inventory.js';
import type { BaseInventory } from '../../../strategies/tests/test-inventory.js';
import { baseJudgeFiles } from '../base-judge.js';

export interface Candidate {
  readonly plan: PatchPlan;
  readonly changes: ReadonlyMap<string, string | null>;
  readonly analysis: string;
  /** Normalised plan hash (plan-hash.ts). */
  readonly hash: string;
}

export interface ValidationOptions {
  base: string;
  /** Already reset to `base`; the first candidate runs here. */
  primary: Sandbox;
  pool: SandboxPool;
  /** Every sandbox acquired is pushed here so the caller releases it. */
  sandboxes: Sandbox[];
  strategyOf(candidate: Candidate): string;
  config: Config;
  affectedTests: AffectedTests;
  /** Runs after the changes are written and before the strategy; returns the candidate to validate (it may carry more changes). */
  prepare?: (sandbox: Sandbox, candidate: Candidate) => Promise<Candidate>;
  logger: Logger;
  signal: AbortSignal;
}

export interface ValidationOutcome {
  passed: boolean;
  /** The winner, or the first candidate when none passed. */
  candidate: Candidate;
  sandbox: Sandbox;
  strategy: string;
  /** The steps that actually ran on `candidate` (skipped ones left out), in order. */
  steps: string[];
  /** Every candidate's result that finished (cancelled ones are left out). */
  results: StrategyResult[];
  failure: { reason: NonNullable<StrategyResult['reason']> | 'VALIDATION_FAILED'; detail: string; step: StepResult | null } | null;
}

export async function validateCandidates(candidates: readonly Candidate[], options: ValidationOptions): Promise<ValidationOutcome> {
  const controllers = candidates.map(() => new AbortController());
  const settled: Array<{ candidate: Candidate; sandbox: Sandbox; result: StrategyResult } | null> = candidates.map(() => null);
  let winner: number | null = null;
  // What ran on the base, measured on the primary sandbox before any change is written there.
  const usesTests = candidates.some((candidate) => (strategiesOf(options.config)[options.strategyOf(candidate)]?.steps ?? []).some((step) => step.startsWith('tests')));
  const inventory: BaseInventory | null =
    usesTests && canTakeInventory(options.config)
      ? await baseInventory(options.base, { sandbox: options.primary, config: options.config, signal: options.signal, logger: options.logger })
      : null;

  const runOne = async (index: number) => {
    const planned = candidates[index]!;
    const signal = AbortSignal.any([options.signal, controllers[index]!.signal]);
    let sandbox = options.primary;
    if (index > 0) {
      sandbox = await options.pool.acquire(options.base, signal);
      options.sandboxes.push(sandbox);
    }
    await sandbox.materialize(planned.changes);
    const candidate = options.prepare ? await options.prepare(sandbox, planned) : planned;
    const strategy = options.strategyOf(planned);
    const strategyContext = {
      sandbox,
      changes: candidate.changes,
      config: options.config,
      affectedTests: options.affectedTests,
      baseInventory: inventory,
      signal,
      logger: options.logger.child({ candidate: index + 1, strategy }),
    };
    let result = await runStrategy(strategy, strategyContext);
    const judged = result.ok ? await baseJudgeFiles(candidate.changes, options.base, sandbox, options.config, signal) : new Map<string, string | null>();
    if (judged.size > 0) {
      // The plan changed the judge's files (guards.allowJudgeEdits): the base's judge must pass it too.
      await sandbox.materialize(judged);
      const underBase = await runStrategy(strategy, { ...strategyContext, logger: strategyContext.logger.child({ judge: 'base' }) });
      await sandbox.materialize(new Map([...judged.keys()].map((file) => [file, candidate.changes.get(file) ?? null])));
      if (!underBase.ok) result = { ...underBase, failedStep: `${underBase.failedStep ?? 'a step'} (with the base's judge files)` };
    }
    if (controllers[index]!.signal.aborted && !options.signal.aborted) return; // cancelled: a sibling won
    settled[index] = { candidate, sandbox, result };
    if (result.ok && winner === null) {
      winner = index;
      controllers.forEach((controller, other) => other !== index && controller.abort(new Error('another candidate passed')));
    }
  };

  const outcomes = await Promise.allSettled(candidates.map((_, index) => runOne(index)));
  throwIfAborted(options.signal);
  const results = settled.flatMap((entry) => (entry ? [entry.result] : []));
  if (winner !== null) {
    const entry = settled[winner]!;
    return { passed: true, candidate: entry.candidate, sandbox: entry.sandbox, strategy: entry.result.strategy, steps: stepsThatRan(entry.result.steps), results, failure: null };
  }
  const first = settled.find((entry) => entry !== null);
  if (!first) {
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    throw failed?.reason ?? new Error('no candidate could be validated');
  }
  return {
    passed: false,
    candidate: first.candidate,
    sandbox: first.sandbox,
    strategy: first.result.strategy,
    steps: stepsThatRan(first.result.steps),
    results,
    failure: { reason: first.result.reason ?? 'VALIDATION_FAILED', detail: describeFailure(first.result), step: first.result.steps.find((step) => !step.ok) ?? null },
  };
}

function describeFailure(result: StrategyResult): string {
  if (result.reason === 'DISCARDED') return `strategy ${result.strategy} has no steps: the plan is always rejected`;
  const failed = result.steps.find((step) => !step.ok);
  const tail = failed?.outputTail.trim() ?? '';
  return `${result.failedStep ?? 'a step'} failed (${result.reason}) under ${result.strategy}${tail ? `:\n${tail}` : ''}`;
}
