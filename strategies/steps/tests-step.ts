// The tests steps. `tests`: the tests affected by the change run first and fail fast, the rest
// in `tests.workers` concurrent shards; with one worker they run after the affected ones,
// with more the affected shard starts at once on its own worker while the rest fill the others.
// `tests:affected`: only the affected tests (the sanity step of lighter strategies).
// A command without {files} runs the suite once. With a recognised runner the step also counts
// what ran (test-inventory.ts): fewer tests than on the base, newly skipped ones, or a new test
// file that ran nothing, fail it.
import os from 'node:os';
import { runGit } from '../../agent/git/git-environment.js';
import { FILES_PLACEHOLDER, hasPlaceholder, parseCommand } from '../commands/parse-command.js';
import { tailOf } from '../commands/output-tail.js';
import { listTestFiles } from '../tests/list-test-files.js';
import { reportedTests, runTestShards, type PhaseResult, type ShardRun } from '../tests/run-test-shards.js';
import { splitIntoShards } from '../tests/split-into-shards.js';
import { compareInventories, type InventoryVerdict } from '../tests/test-inventory.js';
import { detectTestRunner } from '../tests/test-report.js';
import { skippedStep, type Step, type StepContext, type StepResult } from './step.js';

export const testsStep: Step = { name: 'tests', run: (context) => runTests('tests', context) };
export const affectedTestsStep: Step = { name: 'tests:affected', run: (context) => runTests('tests:affected', context) };

async function runTests(step: 'tests' | 'tests:affected', context: StepContext): Promise<StepResult> {
  const settings = context.config.validation.tests;
  if (settings.command === null) return skippedStep(step, 'no command configured (validation.tests.command)');
  const started = performance.now();
  const deadline = started + settings.timeoutMs;
  const argv = parseCommand(settings.command);
  const workers = settings.workers ?? os.availableParallelism();
  const runner = hasPlaceholder(argv, FILES_PLACEHOLDER) ? detectTestRunner(argv) : null;
  const ran: ShardRun[] = [];
  const phase = async (shards: string[][]) => {
    const result = await runTestShards({ argv, shards, deadline, retryFailed: settings.retryFailed, runner }, context);
    ran.push(...result.shards);
    return result;
  };
  const finish = async (result: PhaseResult, summary: string, flaky: string[] = result.flaky): Promise<StepResult> => {
    const counted = result.reason === null && runner !== null ? await countTests(ran, context) : null;
    if (counted) return { step, ok: false, reason: counted.reason, durationMs: performance.now() - started, outputTail: tailOf(counted.message) };
    return {
      step,
      ok: result.reason === null,
      reason: result.reason,
      durationMs: performance.now() - started,
      outputTail: result.reason === null ? tailOf(`${summary}\n${result.outputTail}`) : result.outputTail,
      ...(flaky.length > 0 ? { flaky } : {}),
    };
  };

  if (!hasPlaceholder(argv, FILES_PLACEHOLDER)) {
    return finish(await phase([[]]), 'test suite passed (the command has no {files}, so it ran once)');
  }

  const testFiles = await listTestFiles(context.sandbox.root, settings.files, context.changes, context.signal);
  if (testFiles.length === 0) return skippedStep(step, `no test files match validation.tests.files (${settings.files.join(', ')})`);
  const known = new Set(testFiles);
  const changedFiles = [...context.changes.keys()];
  const affected = [...new Set([...(context.affectedTests?.(changedFiles) ?? []), ...changedFiles])].filter((file) => known.has(file)).sort();

  const rest = testFiles.filter((file) => !affected.includes(file));
  if (step === 'tests' && affected.length > 0 && rest.length > 0 && workers > 1) {
    // With workers to spare, the affected tests start at once on a worker of their own and
    // the rest fill the other workers; a failure anywhere stops every shard (fail-fast), so
    // a breaking change is still rejected as soon as its affected tests fail.
    const shards = [affected, ...splitIntoShards(rest, workers - 1)];
    const run = await phase(shards);
    return finish(run, `${affected.length} affected test file(s) with ${rest.length} more in ${shards.length - 1} parallel shard(s) passed`);
  }

  let flaky: string[] = [];
  if (affected.length > 0) {
    const affectedRun = await phase(splitIntoShards(affected, workers));
    flaky = affectedRun.flaky;
    if (affectedRun.reason !== null || step === 'tests:affected') {
      return finish(affectedRun, `${affected.length} affected test file(s) passed`, flaky);
    }
  } else if (step === 'tests:affected') {
    return skippedStep(step, 'no test files are affected by the change');
  }

  if (rest.length === 0) {
    const counted = runner !== null ? await countTests(ran, context) : null;
    if (counted) return { step, ok: false, reason: counted.reason, durationMs: performance.now() - started, outputTail: tailOf(counted.message) };
    return { step, ok: true, reason: null, durationMs: performance.now() - started, outputTail: `${affected.length} affected test file(s) passed; no other test files`, ...(flaky.length > 0 ? { flaky } : {}) };
  }
  const shards = splitIntoShards(rest, workers);
  const restRun = await phase(shards);
  return finish(restRun, `${affected.length} affected test file(s), then ${rest.length} more in ${shards.length} shard(s) passed`, [...flaky, ...restRun.flaky]);
}

/**
 * The inventory rule on the shards that ran: against the base's inventory when there is one,
 * and in any case new test files must add tests that passed.
 */
async function countTests(shards: readonly ShardRun[], context: StepContext): Promise<InventoryVerdict | null> {
  const files = shards.flatMap((shard) => shard.files);
  const current = reportedTests(shards);
  if (current === null) {
    return { reason: 'TESTS_NOT_RUN', tests: files, message: 'TESTS_NOT_RUN: the test runner exited without writing its report, so nothing proves the tests ran' };
  }
  const baseFiles = context.baseInventory?.files ?? (await trackedFiles(context));
  // Without the base's inventory, the files that existed are taken as they ran now.
  const base = context.baseInventory?.tests ?? current.filter((test) => baseFiles.has(test.file));
  return compareInventories(base, current, files, baseFiles);
}

/** The sandbox's index holds the base commit's files (changes are written, never staged). */
async function trackedFiles(context: StepContext): Promise<Set<string>> {
  const listing = (await runGit(context.sandbox.root, ['ls-files', '-z', '--cached'], { signal: context.signal })).stdout;
  return new Set(listing.split('\0').filter((file) => file !== ''));
}
