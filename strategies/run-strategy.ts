// Runs a named strategy in a sandbox that already holds the patched tree: its steps in the
// configured order (cheapest first in every built-in strategy), stopping at the first failure.
import { createStep } from './step-registry.js';
import type { StepContext, StepReason, StepResult } from './steps/step.js';
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
  const finish = (reason: StrategyResult['reason'], failedStep: string | null): StrategyResult => ({
    strategy: name,
    ok: reason === null,
    reason,
    failedStep,
    steps: results,
    durationMs: performance.now() - started,
    flaky: results.flatMap((result) => result.flaky ?? []),
  });
  if (steps.length === 0) return finish('DISCARDED', null);

  for (const step of steps) {
    if (context.signal.aborted) return finish('ABORTED', step.name);
    const logger = context.logger.child({ step: step.name });
    const result = await step.run({ ...context, logger });
    results.push(result);
    logger.info(
      { event: result.ok ? 'step-passed' : 'step-failed', step: step.name, reason: result.reason, durationMs: Math.round(result.durationMs), skipped: result.skipped ?? false },
      `${step.name}: ${result.skipped ? 'skipped' : result.ok ? 'passed' : result.reason}`,
    );
    if (!result.ok) return finish(result.reason, step.name);
  }
  return finish(null, null);
}

/** Runs one step by name (the sanity step after promotion). */
export async function runStep(name: string, context: StepContext): Promise<StepResult> {
  return createStep(name, context.config).run(context);
}
