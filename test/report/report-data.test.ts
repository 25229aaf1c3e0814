// `hephaestus report` on a history with every outcome kind: the data the page embeds, the
// header it shows and the commits with their diffs, exactly; --since, --runs and --eval.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectReport } from '../../agent/report/collect-report.js';
import { loadReportAssets } from '../../agent/report/report-assets.js';
import { renderReportHtml } from '../../agent/report/render-report-html.js';
import { runCli } from '../support/run-cli.js';
import { makeTempDir } from '../support/temp-repo.js';
import { embeddedReportData, makeReportHistory, type ReportHistory } from './report-history.js';

let history: ReportHistory;
afterEach(async () => history?.repo.remove());

const NOW = () => new Date('2026-12-01T12:00:00.000Z');

/** The header's fields as text, by their data-field name. */
function headerFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<div data-field="([^"]+)"><dt>[^<]*<\/dt><dd>([^<]*)<\/dd><\/div>/g)) {
    fields[match[1]!] = match[2]!.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  }
  return fields;
}

describe('hephaestus report', () => {
  it('embeds the totals, cycles, reasons, strategies and commits of the whole history', async () => {
    history = await makeReportHistory();
    const { data, skippedLines } = await collectReport({ repoDir: history.repo.root, now: NOW });
    const html = renderReportHtml(data, await loadReportAssets());
    const page = embeddedReportData(html);

    expect(skippedLines).toBe(1);
    expect(page.repository).toEqual({ name: path.basename(history.repo.root), branch: 'hephaestus/evolve' });
    expect(page.period).toEqual({ from: '2026-11-30T08:00:00.000Z', to: '2026-12-01T09:02:10.000Z' });
    expect(page.filter).toEqual({ since: null, runs: null });
    expect(page.phases).toEqual(['objective', 'manifest', 'architect', 'precheck', 'maestro', 'validation', 'commit']);
    const { cost, ...totals } = page.totals;
    expect(totals).toEqual({ runs: 2, cycles: 7, commits: 2, outcomes: { committed: 3, rejected: 2, failed: 1, skipped: 1 }, successRate: 0.5, tokensIn: 10000, cachedTokensIn: 5000, tokensOut: 2600 });
    expect(cost).toBeCloseTo(0.035, 10);

    expect(page.cycles.map((cycle: any) => [cycle.run, cycle.n, cycle.outcome, cycle.reason, cycle.strategy, cycle.durationMs])).toEqual([
      [1, 1, 'committed', null, 'SYNTAX_AND_TESTS', 12000],
      [1, 2, 'rejected', 'TESTS_FAILED', 'FULL_VALIDATION', 20000],
      [1, 3, 'failed', 'LLM_TIMEOUT', null, 120000],
      [1, 4, 'skipped', 'NOTHING_TO_DO', null, 1000],
      [2, 1, 'committed', null, 'DOC_UPDATE', 5000],
      [2, 2, 'rejected', 'TESTS_FAILED', 'SYNTAX_AND_TESTS', 30000],
      [2, 3, 'committed', null, 'SYNTAX_AND_TESTS', 10000],
    ]);
    expect(page.cycles[0]).toEqual({
      run: 1, n: 1, startedAt: '2026-11-30T08:00:00.000Z', durationMs: 12000, outcome: 'committed', reason: null, strategy: 'SYNTAX_AND_TESTS',
      objective: 'Add a subtract function', commit: history.subtractCommit, phasesMs: [1000, 40, 6000, 5, 10, 4500, 300],
      tokensIn: 3000, cachedTokensIn: 2000, tokensOut: 800, cost: 0.0125,
    });
    expect(page.reasons).toEqual([
      { reason: 'TESTS_FAILED', outcome: 'rejected', count: 2 },
      { reason: 'LLM_TIMEOUT', outcome: 'failed', count: 1 },
      { reason: 'NOTHING_TO_DO', outcome: 'skipped', count: 1 },
    ]);
    expect(page.strategies).toEqual([
      { name: 'SYNTAX_AND_TESTS', cycles: 3, committed: 2, rate: 2 / 3 },
      { name: 'DOC_UPDATE', cycles: 1, committed: 1, rate: 1 },
      { name: 'FULL_VALIDATION', cycles: 1, committed: 0, rate: 0 },
    ]);

    // The commit that no longer exists is left out; the others carry their real diffs.
    expect(page.commits.map(({ diff, ...commit }: any) => commit)).toEqual([
      { sha: history.subtractCommit, subject: 'Add subtract to src/math.js', run: 1, n: 1, files: [{ path: 'src/math.js', added: 4, deleted: 0 }], added: 4, deleted: 0, diffTruncated: false },
      { sha: history.docsCommit, subject: 'Document <add> & subtract', run: 2, n: 1, files: [{ path: 'README.md', added: 2, deleted: 0 }], added: 2, deleted: 0, diffTruncated: false },
    ]);
    expect(page.commits[0].diff.split('\n')).toEqual([
      'diff --git a/src/math.js b/src/math.js',
      expect.stringMatching(/^index [0-9a-f]{7,}\.\.[0-9a-f]{7,} 100644$/),
      '--- a/src/math.js',
      '+++ b/src/math.js',
      '@@ -1,3 +1,7 @@',
      ' export function add(a, b) {',
      '   return a + b;',
      ' }',
      '+',
      '+export function subtract(a, b) {',
      '+  return a - b;',
      '+}',
    ]);
    expect(page.evaluation).toBeNull();

    expect(headerFields(html)).toEqual({
      repository: path.basename(history.repo.root),
      branch: 'hephaestus/evolve',
      period: '2026-11-30 08:00 – 2026-12-01 09:02',
      runs: '2',
      cycles: '7 (3 committed, 2 rejected, 1 failed, 1 skipped)',
      commits: '2',
      'success-rate': '50.0 % of attempted cycles',
      tokens: '17,600 (input 10,000, cached 5,000, output 2,600)',
      cost: '$0.0350',
    });
    // Text from the history never becomes markup; the newest commit is open.
    expect(html.includes('<add>')).toBe(false);
    expect(html.includes('<NaN>')).toBe(false);
    expect([...html.matchAll(/<details class="commit" data-sha="([0-9a-f]+)"( open)?>/g)].map((match) => [match[1], match[2] ?? ''])).toEqual([
      [history.docsCommit, ' open'],
      [history.subtractCommit, ''],
    ]);
    // Self-contained: no external script, style sheet or image.
    expect(html.match(/<(script|link|img)\b[^>]*\b(src|href)=/g)).toBeNull();
  });

  it('writes .hephaestus/report.html, narrowed by --since or --runs, and says what it wrote', async () => {
    history = await makeReportHistory();
    const result = await runCli(['report', '--repo', history.repo.root]);
    const file = path.join(history.repo.root, '.hephaestus', 'report.html');
    expect(result).toEqual({ exitCode: 0, stdout: `Wrote ${file} (2 run(s), 7 cycle(s), 2 commit(s)).`, stderr: 'warning: skipped 1 unreadable line(s) of .hephaestus/evolution.jsonl' });
    expect(embeddedReportData(await readFile(file, 'utf8')).totals.cycles).toBe(7);

    const out = path.join(history.repo.root, 'out', 'last-run.html');
    for (const narrowing of [['--runs', '1'], ['--since', '2026-12-01']]) {
      const narrowed = await runCli(['report', '--repo', history.repo.root, '--out', out, ...narrowing]);
      expect(narrowed.stdout).toBe(`Wrote ${out} (1 run(s), 3 cycle(s), 1 commit(s)).`);
      const page = embeddedReportData(await readFile(out, 'utf8'));
      expect(page.cycles.map((cycle: any) => `${cycle.run}.${cycle.n}`)).toEqual(['2.1', '2.2', '2.3']);
      expect(page.commits.map((commit: any) => commit.sha)).toEqual([history.docsCommit]);
      expect(page.filter).toEqual(narrowing[0] === '--runs' ? { since: null, runs: 1 } : { since: '2026-12-01T00:00:00.000Z', runs: null });
    }

    const badDate = await runCli(['report', '--repo', history.repo.root, '--since', 'yesterday']);
    expect(badDate).toEqual({ exitCode: 2, stdout: '', stderr: 'hephaestus: --since must be a date such as 2026-12-01 or 2026-12-01T08:00:00Z, received "yesterday".' });
  });

  it('tables eval results per task, one column per model', async () => {
    history = await makeReportHistory();
    const root = await makeTempDir('hephaestus-eval-out-');
    const task = (name: string, provider: string, model: string | null, resolved: boolean, outcome: string, reason: string | null) => ({
      name, file: `${name}.json`, provider, model, resolved, problem: resolved ? null : `the first cycle was ${outcome}`, commits: resolved ? 1 : 0,
      cycles: [{ n: 1, outcome, reason }], durationsMs: { total: 4200 }, llm: { calls: 2, tokensIn: 1000, tokensOut: 234, cost: 0.5 },
    });
    const write = async (directory: string, tasks: unknown[]) => {
      await mkdir(path.join(root, directory), { recursive: true });
      await writeFile(path.join(root, directory, 'eval.json'), JSON.stringify({ provider: null, model: null, tasks, skipped: [], passed: 0, failed: 0, wallMs: 1, out: null }));
    };
    await write('replay', [task('add-guard', 'replay', null, true, 'committed', null), task('fix-loop', 'replay', null, false, 'rejected', 'TESTS_FAILED')]);
    await write('gpt', [task('add-guard', 'openai', 'gpt-x', false, 'failed', 'LLM_TIMEOUT'), task('rename', 'openai', 'gpt-x', true, 'committed', null)]);

    const { data } = await collectReport({ repoDir: history.repo.root, evaluations: [path.join(root, 'replay'), path.join(root, 'gpt', 'eval.json')], now: NOW });
    const cell = (resolved: boolean, firstCycle: string) => ({ resolved, firstCycle, problem: resolved ? null : `the first cycle was ${firstCycle.split(' ')[0]}`, commits: resolved ? 1 : 0, durationMs: 4200, tokens: 1234, cost: 0.5 });
    expect(data.evaluation).toEqual({
      columns: ['replay', 'gpt-x'],
      rows: [
        { task: 'add-guard', cells: [cell(true, 'committed'), cell(false, 'failed LLM_TIMEOUT')] },
        { task: 'fix-loop', cells: [cell(false, 'rejected TESTS_FAILED'), null] },
        { task: 'rename', cells: [null, cell(true, 'committed')] },
      ],
      resolved: [1, 1],
    });
    const html = renderReportHtml(data, await loadReportAssets());
    expect(/<table data-table="evaluation"><thead><tr><th>task<\/th><th>replay<\/th><th>gpt-x<\/th><\/tr>/.test(html)).toBe(true);

    await writeFile(path.join(root, 'broken.json'), JSON.stringify({ provider: null, model: null, tasks: [{ name: 'x' }] }));
    const broken = await runCli(['report', '--repo', history.repo.root, '--eval', path.join(root, 'broken.json')]);
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toBe(`hephaestus: ${path.join(root, 'broken.json')}: at tasks.0.provider: Invalid input: expected string, received undefined; expected the eval.json that "hephaestus eval --out DIR" writes.`);
  });
});
