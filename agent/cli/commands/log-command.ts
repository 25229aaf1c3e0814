// `hephaestus log [--repo DIR] [--json | --csv] [--limit N]`: the evolution log, one cycle a line.
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { locateRepository } from '../../git/git-environment.js';
import { PHASES, type CycleRecord } from '../../cycle/cycle-record.js';
import { readCycleRecords } from '../../state/evolution-log.js';
import { stateDirOf } from '../../state/state-dir.js';
import type { CommandIo } from '../command-io.js';
import { cycleLabel, runNumbers } from '../../state/run-numbers.js';

export interface LogCommandOptions {
  repo?: string;
  json?: boolean;
  csv?: boolean;
  limit?: number;
}

export const CSV_COLUMNS = [
  'run', 'run_id', 'cycle', 'objective', 'outcome', 'reason', 'strategy', 'started_at', 'finished_at', 'duration_ms',
  ...PHASES.map((phase) => `${phase}_ms`),
  'llm_calls', 'cache_hits', 'tokens_in', 'tokens_out', 'cached_tokens_in', 'cost_usd', 'files', 'commit',
] as const;

export async function runLogCommand(options: LogCommandOptions, io: CommandIo): Promise<number> {
  if (options.json && options.csv) throw new UsageError('--json and --csv cannot be combined; pick one output format.');
  const repository = await locateRepository(path.resolve(options.repo ?? process.cwd()));
  // Runs are numbered over the whole log, then the last `limit` cycles are shown.
  const { records: all, skipped } = await readCycleRecords(stateDirOf(repository.root));
  const numbers = runNumbers(all);
  const records = options.limit === undefined ? all : all.slice(-options.limit);
  if (skipped > 0) io.err(`warning: skipped ${skipped} unreadable line(s) of .hephaestus/evolution.jsonl`);
  if (options.json) {
    io.out(JSON.stringify(records));
  } else if (options.csv) {
    io.out(CSV_COLUMNS.join(','));
    for (const record of records) io.out(csvRow(record, numbers).map(csvCell).join(','));
  } else if (records.length === 0) {
    io.out('No cycles recorded yet. Run "hephaestus run" to start one.');
  } else {
    for (const record of records) io.out(humanLine(record, numbers));
  }
  return 0;
}

function csvRow(record: CycleRecord, numbers: ReadonlyMap<string, number>): Array<string | number> {
  return [
    numbers.get(record.runId) ?? '', record.runId, record.n, record.objective ?? '', record.outcome, record.reason ?? '', record.strategy ?? '', record.startedAt, record.finishedAt, durationOf(record),
    ...PHASES.map((phase) => Math.round(record.durationsMs[phase] ?? 0)),
    record.llm.calls, record.llm.cacheHits, record.llm.tokensIn, record.llm.tokensOut, record.llm.cachedTokensIn, record.llm.cost.toFixed(6), record.files.join(';'), record.commit ?? '',
  ];
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function durationOf(record: CycleRecord): number {
  return Math.max(0, Date.parse(record.finishedAt) - Date.parse(record.startedAt));
}

function humanLine(record: CycleRecord, numbers: ReadonlyMap<string, number>): string {
  const seconds = (durationOf(record) / 1000).toFixed(1);
  const commit = record.commit ? ` ${record.commit.slice(0, 10)}` : '';
  const why = record.reason ? ` ${record.reason}` : '';
  return `${cycleLabel(record, numbers)} ${record.startedAt.slice(0, 19).replace('T', ' ')} ${record.outcome}${why}${commit} [${record.strategy ?? '-'}, ${seconds}s] ${record.objective ?? '(no objective)'}`;
}
