// `hephaestus report` on a 1,000-cycle history (20 runs, every outcome kind, 200 real commits
// made with git fast-import): the time to collect and render the page in Node, its size, and
// the time headless Chromium takes from navigation start to every chart drawn (target < 2 s).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CycleRecord, Outcome } from '../../agent/cycle/cycle-record.js';
import { runGit } from '../../agent/git/git-environment.js';
import { collectReport } from '../../agent/report/collect-report.js';
import { loadReportAssets } from '../../agent/report/report-assets.js';
import { renderReportHtml } from '../../agent/report/render-report-html.js';
import { launchChromium, openReport } from '../report/report-browser.js';
import { cycleRecord } from '../support/cycle-records.js';
import { makeTempRepo } from '../support/temp-repo.js';
import { median, sample, type Benchmark } from './bench-kit.js';

const CYCLES = 1000;
const COMMITS = 200;
const REJECTIONS = ['TESTS_FAILED', 'TYPECHECK_FAILED', 'ARCHITECT_FAILED', 'LINT_FAILED'] as const;

/** COMMITS commits on the evolution branch, each rewriting 30 lines of one of 40 modules. */
function fastImportStream(base: string): string {
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (let index = 0; index < COMMITS; index++) {
    const lines = Array.from({ length: 30 }, (_, line) => `export const value${line} = ${index * 31 + line};`).join('\n');
    parts.push(`commit refs/heads/hephaestus/evolve\ncommitter Hephaestus <hephaestus@localhost> ${1764576000 + index * 60} +0000\n${data(`Improve module ${index % 40} (step ${index})`)}${index === 0 ? `from ${base}\n` : ''}M 100644 inline src/module-${index % 40}.js\n${data(`${lines}\n`)}`);
  }
  return parts.join('');
}

function historyOf(commits: readonly string[]): CycleRecord[] {
  const records: CycleRecord[] = [];
  let committed = 0;
  for (let index = 0; index < CYCLES; index++) {
    const kind = index % 5;
    const outcome: Outcome = kind === 0 && committed < commits.length ? 'committed' : kind <= 2 ? 'rejected' : kind === 3 ? 'failed' : 'skipped';
    const startedAt = new Date(Date.UTC(2026, 10, 1) + index * 600_000).toISOString();
    records.push(cycleRecord({
      runId: `run-${Math.floor(index / 50)}`, n: (index % 50) + 1, startedAt, outcome,
      objective: `Objective ${index}`, strategy: outcome === 'skipped' || outcome === 'failed' ? null : ['SYNTAX_AND_TESTS', 'FULL_VALIDATION', 'DOC_UPDATE'][index % 3]!,
      reason: outcome === 'committed' ? null : outcome === 'rejected' ? REJECTIONS[index % REJECTIONS.length]! : outcome === 'failed' ? 'LLM_TIMEOUT' : 'NOTHING_TO_DO',
      commit: outcome === 'committed' ? commits[committed++]! : null,
      durationsMs: { objective: 800 + (index % 7) * 100, manifest: 40, architect: 4000 + (index % 11) * 500, precheck: 5, maestro: 20, validation: 3000 + (index % 13) * 700, commit: outcome === 'committed' ? 300 : 0 },
      llm: { calls: 3, cacheHits: index % 2, tokensIn: 6000 + (index % 17) * 100, tokensOut: 900, cachedTokensIn: 2000, cost: 0.01 },
    }));
  }
  return records;
}

const benchmark: Benchmark = {
  name: 'report, 1,000 cycles',
  async run() {
    const repo = await makeTempRepo({ 'README.md': '# bench\n' });
    const browser = await launchChromium();
    try {
      await runGit(repo.root, ['fast-import', '--quiet'], { input: fastImportStream(await repo.git('rev-parse', 'HEAD')) });
      const commits = (await repo.git('rev-list', '--reverse', 'hephaestus/evolve', '^main')).split('\n').filter((line) => line !== '');
      await mkdir(path.join(repo.root, '.hephaestus'), { recursive: true });
      await writeFile(path.join(repo.root, '.hephaestus', 'evolution.jsonl'), historyOf(commits).map((record) => `${JSON.stringify(record)}\n`).join(''));

      const assets = await loadReportAssets();
      let html = '';
      const node = median(await sample(async () => {
        html = renderReportHtml((await collectReport({ repoDir: repo.root })).data, assets);
      }, 5));
      const file = path.join(repo.root, 'report.html');
      await writeFile(file, html);
      const loads: number[] = [];
      const draws: number[] = [];
      let errors = 0;
      for (let run = 0; run < 4; run++) {
        const opened = await openReport(browser, file);
        // The first load warms Chromium's caches up.
        if (run > 0) loads.push(opened.renderMs);
        if (run > 0) draws.push(opened.drawMs);
        errors += opened.errors.length;
        await opened.page.close();
      }
      const browserMs = median(loads);
      return [
        { metric: 'collect + render the page in Node, median', value: node, unit: 'ms' },
        { metric: 'page size', value: Buffer.byteLength(html) / 1e6, unit: 'MB' },
        { metric: 'Chromium: navigation start to every chart drawn, median', value: browserMs, unit: 'ms', target: '< 2000 ms', met: browserMs < 2000 },
        { metric: 'of which the page script drawing the charts, median', value: median(draws), unit: 'ms' },
        { metric: 'console errors', value: errors, unit: 'count', target: '0', met: errors === 0 },
      ];
    } finally {
      await browser.close();
      await repo.remove();
    }
  },
};
export default benchmark;
