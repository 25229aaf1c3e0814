// `hephaestus report [--repo DIR] [--out FILE] [--since DATE] [--runs N] [--eval DIR...]`: writes
// the evolution history as one self-contained HTML page (default .hephaestus/report.html).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { createReport } from '../../report/create-report.js';
import { stateDirOf } from '../../state/state-dir.js';
import type { CliRuntime } from '../cli-runtime.js';

export const REPORT_FILE_NAME = 'report.html';

export interface ReportCommandOptions {
  repo?: string;
  config?: string;
  out?: string;
  since?: string;
  runs?: number;
  eval?: string[];
}

export async function runReportCommand(options: ReportCommandOptions, runtime: CliRuntime): Promise<number> {
  const since = options.since === undefined ? undefined : parseSince(options.since);
  const { data, repoRoot, skippedLines, html } = await createReport({
    repoDir: options.repo ?? process.cwd(),
    ...(options.config ? { configPath: options.config } : {}),
    ...(since ? { since } : {}),
    ...(options.runs ? { runs: options.runs } : {}),
    ...(options.eval ? { evaluations: options.eval.map((location) => path.resolve(location)) } : {}),
    signal: runtime.signal,
  });
  if (skippedLines > 0) runtime.io.err(`warning: skipped ${skippedLines} unreadable line(s) of .hephaestus/evolution.jsonl`);
  const file = options.out ? path.resolve(options.out) : path.join(stateDirOf(repoRoot), REPORT_FILE_NAME);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, html);
  const { totals } = data;
  runtime.io.out(`Wrote ${file} (${totals.runs} run(s), ${totals.cycles} cycle(s), ${totals.commits} commit(s)${data.evaluation ? `, ${data.evaluation.rows.length} eval task(s)` : ''}).`);
  return 0;
}

/** A date (2026-12-01) or a date and time (2026-12-01T08:00Z); a date alone is midnight UTC. */
export function parseSince(text: string): Date {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time)) {
    throw new UsageError(`--since must be a date such as 2026-12-01 or 2026-12-01T08:00:00Z, received "${text}".`);
  }
  return new Date(time);
}
