// `hephaestus eval TASKS... [--provider P] [--model M] [--jobs N] [--json] [--out DIR]`: runs
// eval task files (or directories of them) and reports per task whether it was resolved.
// Exit 0 when every task run was resolved, 1 otherwise, 130 when interrupted.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { loadTasks } from '../../eval/load-task.js';
import { renderEvalReport } from '../../eval/render-eval-report.js';
import { defaultJobs, runEval } from '../../eval/run-eval.js';
import type { EvalProviderName } from '../../eval/task-result.js';
import { EXIT } from '../exit-codes.js';
import type { CliRuntime } from '../cli-runtime.js';

export interface EvalCommandOptions {
  provider?: EvalProviderName;
  model?: string;
  jobs?: number;
  json?: boolean;
  out?: string;
}

export async function runEvalCommand(taskArguments: readonly string[], options: EvalCommandOptions, runtime: CliRuntime): Promise<number> {
  const files = await expandTaskArguments(taskArguments);
  const tasks = await loadTasks(files);
  if (options.out !== undefined) await checkOutDirectory(path.resolve(options.out), tasks.map((task) => task.name));
  const report = await runEval(tasks, {
    provider: options.provider ?? null,
    model: options.model ?? null,
    jobs: options.jobs ?? defaultJobs(),
    out: options.out ?? null,
    signal: runtime.signal,
    ...(options.json
      ? {}
      : {
          onTaskStart: (task, provider) => runtime.io.err(`… ${task.name} (${provider})`),
          onTaskEnd: (result) => runtime.io.err(`${result.resolved ? '✓' : '✗'} ${result.name} ${(result.durationsMs.total / 1000).toFixed(1)}s${result.problem ? `: ${result.problem}` : ''}`),
        }),
  });
  if (options.json) runtime.io.out(JSON.stringify(report));
  else for (const line of renderEvalReport(report)) runtime.io.out(line);
  if (runtime.signal.aborted) return EXIT.interrupted;
  return report.failed === 0 ? EXIT.ok : EXIT.failure;
}

/** Files as given; a directory stands for its `*.json` files, or those of its `tasks/` folder. */
export async function expandTaskArguments(taskArguments: readonly string[]): Promise<string[]> {
  if (taskArguments.length === 0) throw new UsageError('eval needs at least one task file or directory, e.g. hephaestus eval ../corpus/tasks/*.json');
  const files: string[] = [];
  for (const argument of taskArguments) {
    const absolute = path.resolve(argument);
    const entry = await stat(absolute).catch(() => null);
    if (entry === null) throw new UsageError(`${argument}: no such task file or directory.`);
    if (!entry.isDirectory()) {
      files.push(absolute);
      continue;
    }
    const tasksFolder = path.join(absolute, 'tasks');
    const folder = (await stat(tasksFolder).catch(() => null))?.isDirectory() ? tasksFolder : absolute;
    const names = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
    if (names.length === 0) throw new UsageError(`${argument}: no *.json task files in ${folder}.`);
    files.push(...names.map((name) => path.join(folder, name)));
  }
  return files;
}

async function checkOutDirectory(out: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    if (await stat(path.join(out, name)).catch(() => null)) {
      throw new UsageError(`--out ${out}: ${path.join(out, name)} already exists; pass a new directory or remove the old results.`);
    }
  }
}
