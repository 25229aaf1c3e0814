// Reads and validates one eval task file. Every problem becomes one EvalTaskError naming the
// file, the JSON path, what was expected and what came, and how to fix it.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatConfigIssues } from '../config/format-config-issues.js';
import { HephaestusError } from '../core/errors.js';
import { taskSchema, type EvalTask } from './task-schema.js';

const FORMAT_HINT = 'The task format is described under "Task format" in the README of the corpus (the directory above tasks/).';

/** A task file cannot be read, is not JSON, or does not match the task format. */
export class EvalTaskError extends HephaestusError {
  constructor(file: string, problems: readonly string[], options: { cause?: unknown } = {}) {
    super('EVAL_TASK_INVALID', `${file}: invalid eval task\n${problems.map((line) => `  ${line.replaceAll('\n', '\n  ')}`).join('\n')}\n${FORMAT_HINT}`, {
      ...options,
      details: { file, problems },
    });
  }
}

/**
 * The corpus root a task's `repo` is relative to: the directory above `tasks/` when the file
 * sits in a folder named `tasks` (the corpus layout), else the task file's own directory.
 */
export function corpusRootOf(taskFile: string): string {
  const directory = path.dirname(taskFile);
  return path.basename(directory) === 'tasks' ? path.dirname(directory) : directory;
}

export async function loadTask(file: string): Promise<EvalTask> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new EvalTaskError(absolute, [`cannot read the file (${code}); check the path given to eval.`], { cause: error });
  }
  const raw = parseJson(text, absolute);
  const result = taskSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new EvalTaskError(absolute, formatConfigIssues(result.error.issues, taskSchema));

  const bundle = path.resolve(corpusRootOf(absolute), result.data.repo);
  const found = await stat(bundle).then(
    (entry) => entry.isFile() || entry.isDirectory(),
    () => false,
  );
  if (!found) throw new EvalTaskError(absolute, [`repo: no bundle at ${bundle}; "repo" is relative to ${corpusRootOf(absolute)} (the directory above tasks/).`]);
  return { ...result.data, file: absolute, bundle };
}

/** Loads every file; task names must be unique (they name the clone directories). */
export async function loadTasks(files: readonly string[]): Promise<EvalTask[]> {
  const tasks: EvalTask[] = [];
  const byName = new Map<string, string>();
  for (const file of files) {
    const task = await loadTask(file);
    const other = byName.get(task.name);
    if (other !== undefined) throw new EvalTaskError(task.file, [`name: "${task.name}" is already the name of ${other}; task names must be unique.`]);
    byName.set(task.name, task.file);
    tasks.push(task);
  }
  return tasks;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    let where = '';
    if (position?.[1] !== undefined) {
      const before = text.slice(0, Number(position[1]));
      where = ` at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`;
    }
    throw new EvalTaskError(file, [`not valid JSON${where}: ${message.replace(/ in JSON at position \d+.*$/s, '')}`], { cause: error });
  }
}
