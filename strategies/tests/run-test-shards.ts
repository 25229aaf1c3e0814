// Runs shards of a test command concurrently. The first shard that fails (after its one
// re-run, when tests.retryFailed) aborts its siblings: the phase has already failed.
// A shard that fails and then passes on the re-run is reported as flaky. With a recognised
// runner every shard also writes a report, read back as the tests that actually ran.
import { substitutePlaceholders } from '../commands/parse-command.js';
import type { CommandResult } from '../commands/run-command.js';
import { reasonOf, runInSandbox } from '../steps/run-step-command.js';
import type { StepContext, StepReason } from '../steps/step.js';
import type { TestCase } from './test-inventory.js';
import { withTestReport, type TestRunner } from './test-report.js';

export interface ShardRun {
  files: string[];
  result: CommandResult;
  /** Failed, then passed on the re-run. */
  flaky: boolean;
  /** What the runner reported (of the last run); null without a recognised runner or report. */
  tests: TestCase[] | null;
}

export interface PhaseResult {
  reason: StepReason | null;
  /** The failing shard's output tail, or the last shard's when every one passed. */
  outputTail: string;
  flaky: string[];
  shards: ShardRun[];
}

/** Every test the shards reported; null when a shard that ran has no report. */
export function reportedTests(shards: readonly ShardRun[]): TestCase[] | null {
  if (shards.some((shard) => shard.tests === null)) return null;
  return shards.flatMap((shard) => shard.tests ?? []);
}

export interface PhaseOptions {
  /** argv with `{files}` (or without, to run the whole suite once with shards = [[]]). */
  argv: readonly string[];
  shards: string[][];
  /** Absolute time (performance.now()) at which the step times out. */
  deadline: number;
  retryFailed: boolean;
  /** The runner to ask for a report, when it is recognised. */
  runner?: TestRunner | null;
  /** false: a failing shard does not stop the others (the base inventory wants every file). */
  failFast?: boolean;
}

export async function runTestShards(options: PhaseOptions, context: StepContext): Promise<PhaseResult> {
  const failFast = new AbortController();
  const signal = AbortSignal.any([context.signal, failFast.signal]);
  const remaining = () => Math.max(1, options.deadline - performance.now());

  const runOnce = async (files: string[]): Promise<{ result: CommandResult; tests: TestCase[] | null }> => {
    if (!options.runner) return { result: await runInSandbox(substitutePlaceholders(options.argv, { files }), context, remaining(), signal), tests: null };
    const reported = await withTestReport(options.argv, options.runner, context.sandbox.root);
    try {
      const result = await runInSandbox(substitutePlaceholders(reported.argv, { files }), context, remaining(), signal);
      return { result, tests: await reported.read() };
    } finally {
      await reported.dispose();
    }
  };

  const runShard = async (files: string[]): Promise<ShardRun> => {
    let { result, tests } = await runOnce(files);
    let flaky = false;
    if (result.outcome === 'failed' && options.retryFailed && !signal.aborted) {
      context.logger.info({ event: 'test-shard-retry', files, outputTail: result.outputTail }, `test shard failed; re-running it once (${files.length} file(s))`);
      ({ result, tests } = await runOnce(files));
      flaky = result.outcome === 'passed';
    }
    if (result.outcome !== 'passed' && options.failFast !== false) failFast.abort();
    return { files, result, flaky, tests };
  };

  const settled = await Promise.allSettled(options.shards.map(runShard));
  const errors = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} test shards could not run`);
  const shards = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  // Shards aborted only because a sibling failed say nothing about the change.
  const failing = shards.find((shard) => shard.result.outcome !== 'passed' && !(shard.result.outcome === 'aborted' && !context.signal.aborted));
  const flaky = shards.filter((shard) => shard.flaky).flatMap((shard) => shard.files);
  if (failing) return { reason: reasonOf(failing.result, 'TESTS_FAILED'), outputTail: failing.result.outputTail, flaky, shards };
  if (context.signal.aborted) return { reason: 'ABORTED', outputTail: '', flaky, shards };
  return { reason: null, outputTail: shards.at(-1)?.result.outputTail ?? '', flaky, shards };
}
