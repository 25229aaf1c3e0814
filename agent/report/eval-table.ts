// The eval results the report shows: the `eval.json` of one or more `eval --out DIR` runs,
// read back through a schema, laid out as one row per task and one column per model.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { EVAL_REPORT_FILE_NAME } from '../eval/run-eval.js';

const evalFileSchema = z.object({
  provider: z.string().nullable(),
  model: z.string().nullable(),
  tasks: z.array(
    z.object({
      name: z.string(),
      provider: z.string(),
      model: z.string().nullable(),
      resolved: z.boolean(),
      problem: z.string().nullable(),
      commits: z.number(),
      cycles: z.array(z.object({ outcome: z.string(), reason: z.string().nullable() })),
      durationsMs: z.object({ total: z.number() }),
      llm: z.object({ calls: z.number(), tokensIn: z.number(), tokensOut: z.number(), cost: z.number() }),
    }),
  ),
});

export interface EvalCell {
  resolved: boolean;
  /** The first cycle's outcome and reason, e.g. "rejected TESTS_FAILED". */
  firstCycle: string;
  problem: string | null;
  commits: number;
  durationMs: number;
  tokens: number;
  cost: number;
}

export interface EvalTable {
  /** Column labels: the model, or the provider when it has none ("replay", "offline"). */
  columns: string[];
  rows: Array<{ task: string; cells: Array<EvalCell | null> }>;
  /** Resolved tasks per column. */
  resolved: number[];
}

/** Reads each directory's eval.json (or a path to the file itself); later runs of a column replace earlier ones. */
export async function readEvalTable(locations: readonly string[]): Promise<EvalTable> {
  const columns: string[] = [];
  const cells = new Map<string, Map<string, EvalCell>>();
  for (const location of locations) {
    const file = location.endsWith('.json') ? location : path.join(location, EVAL_REPORT_FILE_NAME);
    const parsed = await readEvalFile(file);
    for (const task of parsed.tasks) {
      const column = task.model ?? task.provider;
      if (!columns.includes(column)) columns.push(column);
      const first = task.cycles[0];
      const row = cells.get(task.name) ?? new Map<string, EvalCell>();
      row.set(column, {
        resolved: task.resolved,
        firstCycle: first ? `${first.outcome}${first.reason ? ` ${first.reason}` : ''}` : '-',
        problem: task.problem,
        commits: task.commits,
        durationMs: task.durationsMs.total,
        tokens: task.llm.tokensIn + task.llm.tokensOut,
        cost: task.llm.cost,
      });
      cells.set(task.name, row);
    }
  }
  const rows = [...cells.entries()].map(([task, row]) => ({ task, cells: columns.map((column) => row.get(column) ?? null) }));
  return { columns, rows, resolved: columns.map((_, index) => rows.filter((row) => row.cells[index]?.resolved).length) };
}

async function readEvalFile(file: string): Promise<z.infer<typeof evalFileSchema>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read it (${(error as Error).message}); pass a directory written by "hephaestus eval --out DIR".`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${(error as Error).message}).`, { cause: error });
  }
  const result = evalFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new UsageError(`${file}: at ${issue.path.join('.') || '(root)'}: ${issue.message}; expected the eval.json that "hephaestus eval --out DIR" writes.`);
  }
  return result.data;
}
