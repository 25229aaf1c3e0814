// Runs a named strategy in a sandbox that already holds the patched tree: the in-memory syntax
// step first, then the other steps in parallel (validation.parallelSteps, default) or in the
// configured order; the first failure stops the rest.
import { unvalidatedChange } from './check-validated.js';
import { createStep } from './step-registry.js';
import type { Step, StepContext, StepReason, StepResult } from './steps/step.js';
import { createStrategyRegistry, resolveStrategy } from './strategy-registry.js';

export type StrategyContext = StepContext;

export interface StrategyResult {
  strategy: string;
  ok: boolean;
  /** The failing step's reason; DISCARDED for a strategy without steps (always rejected). */
  reason: StepReason | 'DISCARDED' | null;
  failedStep: string | null;
  steps: StepResult[];
  durationMs: number;
  flaky: string[];
}

export async function runStrategy(name: string, context: StrategyContext): Promise<StrategyResult> {
  const started = performance.now();
  const definition = resolveStrategy(createStrategyRegistry(context.config), name);
  // Resolve every step before running any, so a misconfigured strategy fails before work starts.
  const steps = definition.steps.map((step) => createStep(step, context.config));
  const results: StepResult[] = [];
  const finish = (reason: StrategyResult['reason'], failedStep: string | null): StrategyResult => {
    // Passing is not enough for code: something besides the syntax parse must have checked it.
    const unvalidated = reason === null ? unvalidatedChange(context.changes, results, context.config, definition.sanity) : null;
    if (unvalidated) {
      results.push(unvalidated);
      return finished(unvalidated.reason, unvalidated.step);
    }
    return finished(reason, failedStep);
  };
  const finished = (reason: StrategyResult['reason'], failedStep: string | null): StrategyResult => ({
    strategy: name,
    ok: reason === null,
    reason,
    failedStep,
    steps: results,
    durationMs: performance.now() - started,
    flaky: results.flatMap((result) => result.flaky ?? []),
  });
  if (steps.length === 0) return finished('DISCARDED', null);

  // The in-memory syntax step runs first; it is cheap and catches most broken plans.
  let next = 0;
  while (next < steps.length && steps[next]!.name === 'syntax') {
    const result = await runOne(steps[next]!, context);
    results.push(result);
    next += 1;
    if (!result.ok) return finish(result.reason, result.step);
  }
  const rest = steps.slice(next);
  if (rest.length === 0) return finish(null, null);
  if (context.signal.aborted) return finish('ABORTED', rest[0]!.name);

  if (!context.config.validation.parallelSteps || rest.length === 1) {
    for (const step of rest) {
      const result = await runOne(step, context);
      results.push(result);
      if (!result.ok) return finish(result.reason, step.name);
      if (context.signal.aborted) return finish('ABORTED', step.name);
    }
    return finish(null, null);
  }

  // Typecheck, lint and tests run in parallel; the first failure stops the others.
  const failFast = new AbortController();
  const shared = { ...context, signal: AbortSignal.any([context.signal, failFast.signal]) };
  let firstFailure: StepResult | null = null;
  const settled = await Promise.all(
    rest.map(async (step) => {
      const result = await runOne(step, shared);
      if (!result.ok && firstFailure === null && !(result.reason === 'ABORTED' && !context.signal.aborted)) {
        firstFailure = result;
        failFast.abort(new Error(`${step.name} failed`));
      }
      return result;
    }),
  );
  // Keep the configured order; leave out steps cancelled only because a sibling failed.
  for (const result of settled) {
    if (firstFailure && result !== firstFailure && result.reason === 'ABORTED' && !context.signal.aborted) continue;
    results.push(result);
  }
  const failure = firstFailure as StepResult | null;
  if (failure) return finish(failure.reason, failure.step);
  if (context.signal.aborted) return finish('ABORTED', rest[0]!.name);
  return finish(null, null);
}

async function runOne(step: Step, context: StrategyContext): Promise<StepResult> {
  const logger = context.logger.child({ step: step.name });
  const result = await step.run({ ...context, logger });
  logger.info(
    { event: result.ok ? 'step-passed' : 'step-failed', step: step.name, reason: result.reason, durationMs: Math.round(result.durationMs), skipped: result.skipped ?? false },
    `${step.name}: ${result.skipped ? 'skipped' : result.ok ? 'passed' : result.reason}`,
  );
  return result;
}

/** Runs one step by name (the sanity step after promotion). */
export async function runStep(name: string, context: StepContext): Promise<StepResult> {
  return createStep(name, context.config).run(context);
}
