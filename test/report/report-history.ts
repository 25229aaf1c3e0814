// A small evolution history for the report tests: a real git repository whose evolution branch
// holds two real commits, and an evolution log with every outcome kind across two runs (plus a
// committed cycle whose commit no longer exists, and one unreadable line).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CycleRecord } from '../../agent/cycle/cycle-record.js';
import { cycleRecord } from '../support/cycle-records.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

export interface ReportHistory {
  repo: TempRepo;
  subtractCommit: string;
  docsCommit: string;
  records: CycleRecord[];
}

export const MISSING_COMMIT = 'dead0000dead0000dead0000dead0000dead0000';

function durations(objective: number, architect: number, validation: number, commit = 0): CycleRecord['durationsMs'] {
  return { objective, manifest: 40, architect, precheck: 5, maestro: 10, validation, commit };
}

export async function makeReportHistory(): Promise<ReportHistory> {
  const repo = await makeTempRepo({ 'src/math.js': 'export function add(a, b) {\n  return a + b;\n}\n', 'README.md': '# math\n' });
  await repo.git('checkout', '-q', '-b', 'hephaestus/evolve');
  await repo.write('src/math.js', 'export function add(a, b) {\n  return a + b;\n}\n\nexport function subtract(a, b) {\n  return a - b;\n}\n');
  const subtractCommit = await repo.commitAll('Add subtract to src/math.js');
  await repo.write('README.md', '# math\n\n`add(a, b)` adds, `subtract(a, b)` subtracts.\n');
  const docsCommit = await repo.commitAll('Document <add> & subtract');
  await repo.git('checkout', '-q', 'main');

  const records: CycleRecord[] = [
    cycleRecord({ runId: 'run-a', n: 1, startedAt: '2026-11-30T08:00:00.000Z', finishedAt: '2026-11-30T08:00:12.000Z', objective: 'Add a subtract function', strategy: 'SYNTAX_AND_TESTS', outcome: 'committed', commit: subtractCommit, files: ['src/math.js'], durationsMs: durations(1000, 6000, 4500, 300), llm: { calls: 3, cacheHits: 0, tokensIn: 5000, tokensOut: 800, cachedTokensIn: 2000, cost: 0.0125 } }),
    cycleRecord({ runId: 'run-a', n: 2, startedAt: '2026-11-30T08:01:00.000Z', finishedAt: '2026-11-30T08:01:20.000Z', objective: 'Make add variadic', strategy: 'FULL_VALIDATION', outcome: 'rejected', reason: 'TESTS_FAILED', detail: 'tests failed', durationsMs: durations(900, 7000, 11000), llm: { calls: 2, cacheHits: 1, tokensIn: 3000, tokensOut: 600, cachedTokensIn: 1000, cost: 0.008 } }),
    cycleRecord({ runId: 'run-a', n: 3, startedAt: '2026-11-30T08:02:00.000Z', finishedAt: '2026-11-30T08:04:00.000Z', objective: 'Handle <NaN> input', outcome: 'failed', reason: 'LLM_TIMEOUT', detail: 'the model did not answer', durationsMs: durations(500, 120000, 0), llm: { calls: 1, cacheHits: 0, tokensIn: 1000, tokensOut: 0, cachedTokensIn: 0, cost: 0.001 } }),
    cycleRecord({ runId: 'run-a', n: 4, startedAt: '2026-11-30T08:05:00.000Z', finishedAt: '2026-11-30T08:05:01.000Z', outcome: 'skipped', reason: 'NOTHING_TO_DO', durationsMs: durations(700, 0, 0) }),
    cycleRecord({ runId: 'run-b', n: 1, startedAt: '2026-12-01T09:00:00.000Z', finishedAt: '2026-12-01T09:00:05.000Z', objective: 'Document the functions', strategy: 'DOC_UPDATE', outcome: 'committed', commit: docsCommit, files: ['README.md'], durationsMs: durations(800, 3000, 200, 250), llm: { calls: 2, cacheHits: 0, tokensIn: 2000, tokensOut: 300, cachedTokensIn: 1500, cost: 0.004 } }),
    cycleRecord({ runId: 'run-b', n: 2, startedAt: '2026-12-01T09:01:00.000Z', finishedAt: '2026-12-01T09:01:30.000Z', objective: 'Speed up add', strategy: 'SYNTAX_AND_TESTS', outcome: 'rejected', reason: 'TESTS_FAILED', durationsMs: durations(600, 5000, 9000), llm: { calls: 2, cacheHits: 0, tokensIn: 2500, tokensOut: 500, cachedTokensIn: 0, cost: 0.006 } }),
    cycleRecord({ runId: 'run-b', n: 3, startedAt: '2026-12-01T09:02:00.000Z', finishedAt: '2026-12-01T09:02:10.000Z', objective: 'Rename add', strategy: 'SYNTAX_AND_TESTS', outcome: 'committed', commit: MISSING_COMMIT, files: ['src/math.js'], durationsMs: durations(500, 4000, 5000, 200), llm: { calls: 2, cacheHits: 0, tokensIn: 1500, tokensOut: 400, cachedTokensIn: 500, cost: 0.0035 } }),
  ];
  const stateDir = path.join(repo.root, '.hephaestus');
  await mkdir(stateDir, { recursive: true });
  const lines = records.map((record) => JSON.stringify(record));
  lines.splice(3, 0, '{"runId":"run-a","n":'); // cut short by a crash
  await writeFile(path.join(stateDir, 'evolution.jsonl'), `${lines.join('\n')}\n`);
  return { repo, subtractCommit, docsCommit, records };
}

/** The JSON the page embeds for its charts. */
export function embeddedReportData(html: string): any {
  const match = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error('the page has no embedded report data');
  return JSON.parse(match[1]!);
}
