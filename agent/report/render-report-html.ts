// The report as one self-contained HTML page: the header and tables rendered here as static
// HTML, the data embedded as JSON, the charts drawn in the browser by the inlined Chart.js,
// diffs by the inlined diff2html. Nothing is fetched when the page opens.
import type { ReportAssets } from './report-assets.js';
import type { ReportData } from './report-data.js';
import { drawReportPage } from './report-page-script.js';
import { REPORT_STYLES } from './report-styles.js';

export const REPORT_DATA_ELEMENT_ID = 'report-data';

export function renderReportHtml(data: ReportData, assets: ReportAssets): string {
  const title = `Hephaestus report: ${data.repository.name}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${safeInStyle(assets.diffStyles)}</style>`,
    `<style>${REPORT_STYLES}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(title)}</h1>${renderSummary(data)}</header>`,
    '<main>',
    section('cycles', 'Cycles over time', 'Each dot is a cycle: when it started, how long it took, and its outcome.', chart('chart-cycles')),
    '<div class="pair">',
    section('reasons', 'Why cycles did not commit', '', chart('chart-reasons', 'short') + renderReasons(data)),
    section('strategies', 'Strategies', 'Success rate: committed cycles of all the cycles that ran the strategy.', chart('chart-strategies', 'short') + renderStrategies(data)),
    '</div>',
    section('phases', 'Time per phase', 'Seconds per phase of each cycle, stacked: the tallest band is the slow phase.', chart('chart-phases')),
    section('tokens', 'Tokens and cost', tokensNote(data), chart('chart-tokens')),
    section('commits', `Commits (${data.commits.length})`, '', renderCommits(data)),
    data.evaluation ? section('evaluation', 'Evaluation', 'One row per task, one column per model; the cell is the first cycle and whether the task was resolved.', renderEvaluation(data)) : '',
    '</main>',
    `<footer>Generated ${escapeHtml(data.generatedAt)} by <code>hephaestus report</code>.</footer>`,
    `<script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">${jsonForScript(data)}</script>`,
    `<script>${safeInScript(assets.chartScript)}</script>`,
    `<script>${safeInScript(assets.diffScript)}</script>`,
    `<script>${pageScript()}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * The page's script is drawReportPage's own source. Run from TypeScript source by esbuild-based
 * loaders (tsx), function bodies carry calls to esbuild's `__name` helper; the page defines it.
 */
function pageScript(): string {
  const data = `JSON.parse(document.getElementById(${JSON.stringify(REPORT_DATA_ELEMENT_ID)}).textContent)`;
  return `(function () { var __name = function (target) { return target; }; (${drawReportPage.toString()})(${data}, window.Chart, window.Diff2Html); })();`;
}

function renderSummary(data: ReportData): string {
  const { totals } = data;
  const period = data.period.from && data.period.to ? `${shortTime(data.period.from)} – ${shortTime(data.period.to)}` : 'no cycles';
  const outcomes = `${totals.outcomes.committed} committed, ${totals.outcomes.rejected} rejected, ${totals.outcomes.failed} failed, ${totals.outcomes.skipped} skipped`;
  const entries: Array<[string, string, string]> = [
    ['repository', 'Repository', data.repository.name],
    ['branch', 'Branch', data.repository.branch],
    ['period', 'Period (UTC)', period],
    ['runs', 'Runs', formatCount(totals.runs)],
    ['cycles', 'Cycles', `${formatCount(totals.cycles)} (${outcomes})`],
    ['commits', 'Commits', formatCount(totals.commits)],
    ['success-rate', 'Success rate', `${(totals.successRate * 100).toFixed(1)} % of attempted cycles`],
    ['tokens', 'Tokens', `${formatCount(totals.tokensIn + totals.cachedTokensIn + totals.tokensOut)} (input ${formatCount(totals.tokensIn)}, cached ${formatCount(totals.cachedTokensIn)}, output ${formatCount(totals.tokensOut)})`],
    ['cost', 'Cost', `$${totals.cost.toFixed(4)}`],
  ];
  const filters = [data.filter.since ? `since ${data.filter.since}` : '', data.filter.runs ? `last ${data.filter.runs} run(s)` : ''].filter((text) => text !== '');
  return `<dl class="summary">${entries.map(([key, label, value]) => `<div data-field="${key}"><dt>${label}</dt><dd>${escapeHtml(value)}</dd></div>`).join('')}</dl>${filters.length > 0 ? `<p class="muted">Showing ${escapeHtml(filters.join(', '))}.</p>` : ''}`;
}

function tokensNote(data: ReportData): string {
  const { totals } = data;
  const spent = totals.tokensIn + totals.cachedTokensIn + totals.tokensOut > 0;
  return `Input (sent), cached input and output tokens per cycle; the line is the cost so far.${spent ? '' : ' No LLM tokens were spent in this period (the offline engine uses none).'}`;
}

function renderReasons(data: ReportData): string {
  if (data.reasons.length === 0) return '<p class="muted">Every cycle committed.</p>';
  return table(['reason', 'outcome', 'cycles'], data.reasons.map((entry) => [code(entry.reason), escapeHtml(entry.outcome), String(entry.count)]), 'reasons');
}

function renderStrategies(data: ReportData): string {
  if (data.strategies.length === 0) return '<p class="muted">No cycle reached a strategy.</p>';
  return table(['strategy', 'cycles', 'committed', 'success rate'], data.strategies.map((entry) => [code(entry.name), String(entry.cycles), String(entry.committed), `${(entry.rate * 100).toFixed(1)} %`]), 'strategies');
}

function renderCommits(data: ReportData): string {
  if (data.commits.length === 0) return '<p class="muted">No commits in this period.</p>';
  // The newest commit is open, so its diff shows without a click.
  return [...data.commits]
    .reverse()
    .map((commit, index) => {
      const files = commit.files.map((file) => `<li><code>${escapeHtml(file.path)}</code> <span class="added">+${file.added ?? 'bin'}</span> <span class="deleted">−${file.deleted ?? 'bin'}</span></li>`).join('');
      return [
        `<details class="commit" data-sha="${escapeHtml(commit.sha)}"${index === 0 ? ' open' : ''}>`,
        `<summary><code>${escapeHtml(commit.sha.slice(0, 12))}</code> <span class="subject">${escapeHtml(commit.subject)}</span> <span class="muted">run ${commit.run} · cycle ${commit.n} · ${commit.files.length} file(s)</span> <span class="added">+${commit.added}</span> <span class="deleted">−${commit.deleted}</span></summary>`,
        `<ul class="files">${files}</ul>`,
        commit.diffTruncated ? '<p class="muted">The diff is long; it is cut short here (see <code>git show</code>).</p>' : '',
        '<div class="diff"></div>',
        '</details>',
      ].join('');
    })
    .join('\n');
}

function renderEvaluation(data: ReportData): string {
  const evaluation = data.evaluation!;
  const header = ['task', ...evaluation.columns];
  const rows = evaluation.rows.map((row) => [
    escapeHtml(row.task),
    ...row.cells.map((cell) => {
      if (cell === null) return '<span class="muted">not run</span>';
      const verdict = cell.resolved ? '<span class="resolved">resolved</span>' : '<span class="unresolved">not resolved</span>';
      const facts = `${escapeHtml(cell.firstCycle)} · ${cell.commits} commit(s) · ${(cell.durationMs / 1000).toFixed(1)} s · ${formatCount(cell.tokens)} tokens · $${cell.cost.toFixed(4)}`;
      return `${verdict}<br><span class="muted">${facts}</span>${cell.problem ? `<br><span class="problem">${escapeHtml(cell.problem)}</span>` : ''}`;
    }),
  ]);
  rows.push(['<strong>resolved</strong>', ...evaluation.resolved.map((count) => `<strong>${count}/${evaluation.rows.length}</strong>`)]);
  return table(header.map(escapeHtml), rows, 'evaluation', true);
}

function section(id: string, heading: string, note: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(heading)}</h2>${note ? `<p class="muted">${escapeHtml(note)}</p>` : ''}${body}</section>`;
}

function chart(id: string, size: 'tall' | 'short' = 'tall'): string {
  return `<div class="chart ${size}"><canvas id="${id}" role="img"></canvas></div>`;
}

/** Cells are HTML already; header cells too when `escaped` is set. */
function table(header: readonly string[], rows: readonly (readonly string[])[], name: string, escaped = false): string {
  const head = header.map((cell) => `<th>${escaped ? cell : escapeHtml(cell)}</th>`).join('');
  return `<table data-table="${name}"><thead><tr>${head}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** JSON that cannot end its <script> element early: every "<" is written as \u003c. */
function jsonForScript(data: ReportData): string {
  return JSON.stringify(data).replaceAll('<', '\\u003c');
}

/** A library's source inside <script>: "</script" would end the element, "<\/script" means the same to JavaScript. */
function safeInScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

function safeInStyle(source: string): string {
  return source.replace(/<\/(style)/gi, '<\\/$1');
}

function shortTime(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
