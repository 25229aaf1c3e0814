// Runs eval tasks in parallel (up to `jobs`), each isolated in its own directory under one
// root: a new temporary directory, removed at the end, or `out`, kept for inspection.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { runTask } from './run-task.js';
import type { EvalProviderName, TaskResult } from './task-result.js';
import type { EvalTask } from './task-schema.js';

/** With `--out`: the whole report, as `--json` prints it. */
export const EVAL_REPORT_FILE_NAME = 'eval.json';

export interface EvalOptions {
  /** The provider for every task; null runs each task with its own (the first of its `providers`, else replay). */
  provider: EvalProviderName | null;
  model: string | null;
  jobs: number;
  /** Keep clones, state dirs and request logs under this directory; null uses a temporary one. */
  out: string | null;
  signal: AbortSignal;
  onTaskStart?: (task: EvalTask, provider: EvalProviderName) => void;
  onTaskEnd?: (result: TaskResult) => void;
}

export interface SkippedTask {
  name: string;
  file: string;
  reason: string;
}

export interface EvalReport {
  provider: EvalProviderName | null;
  model: string | null;
  /** Results in the order of the task files. */
  tasks: TaskResult[];
  /** Tasks not meant for the chosen provider (their `providers` list); counted neither way. */
  skipped: SkippedTask[];
  passed: number;
  failed: number;
  wallMs: number;
  /** Where the clones are kept; null when they were removed. */
  out: string | null;
}

export function defaultJobs(): number {
  return Math.max(1, Math.floor(os.availableParallelism() / 2));
}

/** The provider a task runs with, or why it does not run with the chosen one. */
export function providerFor(task: EvalTask, chosen: EvalProviderName | null): { provider: EvalProviderName } | { skip: string } {
  const meant = task.providers;
  if (chosen === null) return { provider: meant?.[0] ?? 'replay' };
  if (meant === undefined) return { provider: chosen };
  // A real model plays the tasks written for a model (the replay ones), not the offline engine's.
  const needed = chosen === 'openai' || chosen === 'anthropic' ? 'replay' : chosen;
  return meant.includes(needed) ? { provider: chosen } : { skip: `meant for ${meant.join(', ')}, not ${chosen}` };
}

export async function runEval(tasks: readonly EvalTask[], options: EvalOptions): Promise<EvalReport> {
  const started = performance.now();
  const root = options.out === null ? await mkdtemp(path.join(os.tmpdir(), 'hephaestus-eval-')) : path.resolve(options.out);
  if (options.out !== null) await mkdir(root, { recursive: true });
  const limit = pLimit(Math.max(1, options.jobs));
  const skipped: SkippedTask[] = [];
  const runs: Array<Promise<TaskResult>> = [];
  try {
    for (const task of tasks) {
      const choice = providerFor(task, options.provider);
      if ('skip' in choice) {
        skipped.push({ name: task.name, file: task.file, reason: choice.skip });
        continue;
      }
      runs.push(
        limit(async () => {
          options.onTaskStart?.(task, choice.provider);
          const result = await runTask(task, {
            provider: choice.provider,
            model: options.model,
            directory: path.join(root, task.name),
            keep: options.out !== null,
            signal: options.signal,
          });
          options.onTaskEnd?.(result);
          return result;
        }),
      );
    }
    const settled = await Promise.allSettled(runs);
    const results = settled.map((outcome) => {
      if (outcome.status === 'fulfilled') return outcome.value;
      throw outcome.reason;
    });
    const passed = results.filter((result) => result.resolved).length;
    const report: EvalReport = { provider: options.provider, model: options.model, tasks: results, skipped, passed, failed: results.length - passed, wallMs: performance.now() - started, out: options.out === null ? null : root };
    if (options.out !== null) await writeFile(path.join(root, EVAL_REPORT_FILE_NAME), `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    if (options.out === null) await rm(root, { recursive: true, force: true, maxRetries: 3 });
  }
}
