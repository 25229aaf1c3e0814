// Runs shards of a test command concurrently. The first shard that fails (after its one
// re-run, when tests.retryFailed) aborts its siblings: the phase has already failed.
// A shard that fails and then passes on the re-run is reported as flaky.
import { substitutePlaceholders } from '../commands/parse-command.js';
import type { CommandResult } from '../commands/run-command.js';
import { reasonOf, runInSandbox } from '../steps/run-step-command.js';
import type { StepContext, StepReason } from '../steps/step.js';

export interface ShardRun {
  files: string[];
  result: CommandResult;
  /** Failed, then passed on the re-run. */
  flaky: boolean;
}

export interface PhaseResult {
  reason: StepReason | null;
  /** The failing shard's output tail, or the last shard's when every one passed. */
  outputTail: string;
  flaky: string[];
  shards: ShardRun[];
}

export interface PhaseOptions {
  /** argv with `{files}` (or without, to run the whole suite once with shards = [[]]). */
  argv: readonly string[];
  shards: string[][];
  /** Absolute time (performance.now()) at which the step times out. */
  deadline: number;
  retryFailed: boolean;
}

export async function runTestShards(options: PhaseOptions, context: StepContext): Promise<PhaseResult> {
  const failFast = new AbortController();
  const signal = AbortSignal.any([context.signal, failFast.signal]);
  const remaining = () => Math.max(1, options.deadline - performance.now());

  const runShard = async (files: string[]): Promise<ShardRun> => {
    const argv = substitutePlaceholders(options.argv, { files });
    let result = await runInSandbox(argv, context, remaining(), signal);
    let flaky = false;
    if (result.outcome === 'failed' && options.retryFailed && !signal.aborted) {
      context.logger.info({ event: 'test-shard-retry', files, outputTail: result.outputTail }, `test shard failed; re-running it once (${files.length} file(s))`);
      const retry = await runInSandbox(argv, context, remaining(), signal);
      flaky = retry.outcome === 'passed';
      result = retry;
    }
    if (result.outcome !== 'passed') failFast.abort();
    return { files, result, flaky };
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
