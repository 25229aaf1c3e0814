// Gathers what `hephaestus report` shows from a repository: its evolution log (narrowed by
// --since and --runs), the details of the commits those cycles made, and eval results if given.
// Read-only: it takes no lock and changes no file.
import path from 'node:path';
import { runNumbers } from '../state/run-numbers.js';
import { loadConfig } from '../config/load-config.js';
import type { CycleRecord } from '../cycle/cycle-record.js';
import { locateRepository } from '../git/git-environment.js';
import { readCycleRecords } from '../state/evolution-log.js';
import { stateDirOf } from '../state/state-dir.js';
import { readCommitDetails } from './commit-details.js';
import { readEvalTable } from './eval-table.js';
import { buildReportData, type ReportData } from './report-data.js';

export interface CollectReportOptions {
  repoDir: string;
  configPath?: string;
  /** Only cycles that started at or after this time. */
  since?: Date;
  /** Only the last N runs (after `since`). */
  runs?: number;
  /** `eval --out` directories (or their eval.json files) to table side by side. */
  evaluations?: readonly string[];
  now?: () => Date;
  signal?: AbortSignal;
}

export interface CollectedReport {
  repoRoot: string;
  data: ReportData;
  /** Lines of evolution.jsonl that could not be read. */
  skippedLines: number;
}

export async function collectReport(options: CollectReportOptions): Promise<CollectedReport> {
  const repository = await locateRepository(path.resolve(options.repoDir));
  const { config } = await loadConfig({ repoRoot: repository.root, configPath: options.configPath });
  const { records: all, skipped } = await readCycleRecords(stateDirOf(repository.root));
  // Runs are numbered over the whole log, as `log` numbers them, before any is left out.
  const numbers = runNumbers(all);
  const records = selectRecords(all, options.since, options.runs);
  const origins = records.flatMap((record) => (record.outcome === 'committed' && record.commit ? [{ sha: record.commit, run: numbers.get(record.runId) ?? 0, n: record.n }] : []));
  const [commits, evaluation] = await Promise.all([
    readCommitDetails(repository.root, origins, options.signal),
    options.evaluations && options.evaluations.length > 0 ? readEvalTable(options.evaluations) : Promise.resolve(null),
  ]);
  const data = buildReportData({
    repositoryName: path.basename(repository.root),
    branch: config.git.branch,
    records,
    runNumbers: numbers,
    commits,
    evaluation,
    filter: { since: options.since?.toISOString() ?? null, runs: options.runs ?? null },
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
  });
  return { repoRoot: repository.root, data, skippedLines: skipped };
}

export function selectRecords(records: readonly CycleRecord[], since: Date | undefined, runs: number | undefined): CycleRecord[] {
  const recent = since === undefined ? [...records] : records.filter((record) => Date.parse(record.startedAt) >= since.getTime());
  if (runs === undefined) return recent;
  const kept = new Set([...new Set(recent.map((record) => record.runId))].slice(-runs));
  return recent.filter((record) => kept.has(record.runId));
}
