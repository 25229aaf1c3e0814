// The report page's own script. It runs in the browser, not in Node: the page inlines this
// function's source text and calls it with the embedded data and the inlined libraries
// (Chart.js, diff2html). So it must be self-contained: no imports, no outer variables.
import type { ReportData } from './report-data.js';

/* The few browser interfaces the script uses (the project compiles without the DOM library). */
interface PageElement {
  id: string;
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  innerHTML: string;
  open?: boolean;
  querySelector(selector: string): PageElement | null;
  addEventListener(type: string, listener: () => void): void;
}
interface PageDocument {
  documentElement: PageElement;
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}
interface ChartConstructor {
  new (canvas: PageElement, configuration: Record<string, unknown>): unknown;
  defaults: { animation: unknown; font: { family: string } };
}
interface Diff2HtmlLibrary {
  html(diff: string, configuration: Record<string, unknown>): string;
}
declare const document: PageDocument;
declare const performance: { now(): number };

export function drawReportPage(data: ReportData, Chart: ChartConstructor, Diff2Html: Diff2HtmlLibrary): void {
  const drawingStarted = performance.now();
  const OUTCOME_COLOURS: Record<string, string> = { committed: '#2e7d32', rejected: '#ef6c00', failed: '#c62828', skipped: '#9e9e9e' };
  const PHASE_COLOURS = ['#90caf9', '#ce93d8', '#5c6bc0', '#80cbc4', '#ffcc80', '#ef9a9a', '#a5d6a7'];
  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const cycleLabels = data.cycles.map((cycle) => `run ${cycle.run} · cycle ${cycle.n}`);
  const common = { responsive: true, maintainAspectRatio: false, normalized: true, interaction: { mode: 'nearest', intersect: false } };

  function draw(id: string, configuration: Record<string, unknown>, hasData: boolean): void {
    const canvas = document.getElementById(id);
    if (canvas === null) return;
    if (!hasData) {
      canvas.dataset.empty = 'true';
      return;
    }
    new Chart(canvas, configuration);
  }

  // Tick labels as precise as the period needs: days, minutes, or seconds.
  const times = data.cycles.map((cycle) => Date.parse(cycle.startedAt));
  const span = times.length === 0 ? 0 : Math.max(...times) - Math.min(...times);
  const [from, to] = span > 3 * 86_400_000 ? [0, 10] : span > 3_600_000 ? [5, 16] : [11, 19];
  function formatDate(milliseconds: number): string {
    return new Date(milliseconds).toISOString().slice(from, to).replace('T', ' ');
  }

  draw(
    'chart-cycles',
    {
      type: 'scatter',
      data: {
        datasets: Object.keys(OUTCOME_COLOURS).map((outcome) => ({
          label: outcome,
          backgroundColor: OUTCOME_COLOURS[outcome],
          pointRadius: 3,
          data: data.cycles.flatMap((cycle, index) => (cycle.outcome === outcome ? [{ x: Date.parse(cycle.startedAt), y: cycle.durationMs / 1000, index }] : [])),
        })),
      },
      options: {
        ...common,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'started (UTC)' }, ticks: { callback: (value: number) => formatDate(value), maxTicksLimit: 8 } },
          y: { beginAtZero: true, title: { display: true, text: 'cycle time (s)' } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item: { raw: { index: number } }) => {
                const cycle = data.cycles[item.raw.index]!;
                return `${cycleLabels[item.raw.index]}: ${cycle.outcome}${cycle.reason ? ` ${cycle.reason}` : ''}, ${(cycle.durationMs / 1000).toFixed(1)} s — ${cycle.objective ?? '(no objective)'}`;
              },
            },
          },
        },
      },
    },
    data.cycles.length > 0,
  );

  draw(
    'chart-reasons',
    {
      type: 'bar',
      data: {
        labels: data.reasons.map((entry) => `${entry.reason} (${entry.outcome})`),
        datasets: [{ label: 'cycles', data: data.reasons.map((entry) => entry.count), backgroundColor: data.reasons.map((entry) => OUTCOME_COLOURS[entry.outcome]) }],
      },
      options: { ...common, indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    },
    data.reasons.length > 0,
  );

  draw(
    'chart-strategies',
    {
      type: 'bar',
      data: {
        labels: data.strategies.map((entry) => `${entry.name} (${entry.committed}/${entry.cycles})`),
        datasets: [{ label: 'success rate (%)', data: data.strategies.map((entry) => Math.round(entry.rate * 1000) / 10), backgroundColor: '#2e7d32' }],
      },
      options: { ...common, indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { min: 0, max: 100, title: { display: true, text: 'committed / cycles (%)' } } } },
    },
    data.strategies.length > 0,
  );

  draw(
    'chart-phases',
    {
      type: 'bar',
      data: {
        labels: cycleLabels,
        datasets: data.phases.map((phase, phaseIndex) => ({ label: phase, data: data.cycles.map((cycle) => (cycle.phasesMs[phaseIndex] ?? 0) / 1000), backgroundColor: PHASE_COLOURS[phaseIndex % PHASE_COLOURS.length] })),
      },
      options: { ...common, interaction: { mode: 'index', intersect: false }, scales: { x: { stacked: true, ticks: { maxTicksLimit: 20, sampleSize: 20 } }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'seconds' } } } },
    },
    data.cycles.length > 0,
  );

  let cost = 0;
  const cumulativeCost = data.cycles.map((cycle) => (cost += cycle.cost));
  draw(
    'chart-tokens',
    {
      type: 'bar',
      data: {
        labels: cycleLabels,
        datasets: [
          { label: 'input', data: data.cycles.map((cycle) => cycle.tokensIn), backgroundColor: '#5c6bc0', stack: 'tokens', yAxisID: 'y' },
          { label: 'cached input', data: data.cycles.map((cycle) => cycle.cachedTokensIn), backgroundColor: '#9fa8da', stack: 'tokens', yAxisID: 'y' },
          { label: 'output', data: data.cycles.map((cycle) => cycle.tokensOut), backgroundColor: '#ffb74d', stack: 'tokens', yAxisID: 'y' },
          { label: 'cost, cumulative (USD)', type: 'line', data: cumulativeCost, borderColor: '#c62828', backgroundColor: '#c62828', pointRadius: 0, yAxisID: 'cost' },
        ],
      },
      options: {
        ...common,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { stacked: true, ticks: { maxTicksLimit: 20, sampleSize: 20 } },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: 'tokens' } },
          cost: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'USD' } },
        },
      },
    },
    data.cycles.length > 0,
  );

  // Diffs are rendered when their commit is opened, so a long history stays fast to load.
  function showDiff(details: PageElement): void {
    const target = details.querySelector('.diff');
    const commit = data.commits.find((entry) => entry.sha === details.dataset.sha);
    if (target === null || commit === undefined || target.dataset.rendered === 'true') return;
    target.innerHTML = commit.diff === '' ? '<p class="muted">No textual changes.</p>' : Diff2Html.html(commit.diff, { drawFileList: false, matching: 'lines', outputFormat: 'line-by-line' });
    target.dataset.rendered = 'true';
  }
  for (const details of document.querySelectorAll('details.commit')) {
    details.addEventListener('toggle', () => {
      if (details.open) showDiff(details);
    });
    if (details.open) showDiff(details);
  }
  // What tests and benchmarks wait for: every chart drawn, the open diffs shown.
  document.documentElement.dataset.renderMs = String(Math.round(performance.now()));
  document.documentElement.dataset.drawMs = String(Math.round(performance.now() - drawingStarted));
  document.documentElement.dataset.reportState = 'rendered';
}
