// The report page in real headless Chromium: it loads without the network and without a
// console error, every chart draws its marks (the pixel under a mark has its colour), and
// the diffs render with diff2html, the newest at once and the others when opened.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectReport } from '../../agent/report/collect-report.js';
import { loadReportAssets } from '../../agent/report/report-assets.js';
import { renderReportHtml } from '../../agent/report/render-report-html.js';
import { launchChromium, openReport } from './report-browser.js';
import { makeReportHistory, type ReportHistory } from './report-history.js';

let browser: Browser;
let history: ReportHistory;
let file: string;

beforeAll(async () => {
  [browser, history] = await Promise.all([launchChromium(), makeReportHistory()]);
  const { data } = await collectReport({ repoDir: history.repo.root });
  file = path.join(history.repo.root, 'report.html');
  await writeFile(file, renderReportHtml(data, await loadReportAssets()));
});

afterAll(async () => {
  await browser?.close();
  await history?.repo.remove();
});

interface ChartMarks {
  id: string;
  /** Marks per dataset, by label. */
  marks: Record<string, number>;
  /** Per dataset: its colour and the colour of the pixel at the centre of its largest mark. */
  sampled: Array<{ label: string; expected: string; actual: string }>;
  /** Datasets whose largest mark is too thin to sample. */
  thin: string[];
}

describe('the report in Chromium', () => {
  it('draws every chart and the diffs, with no console error and no request', async () => {
    const { page, errors, blockedRequests } = await openReport(browser, file);
    const charts = await page.evaluate(() => {
      const hex = (red: number, green: number, blue: number) => `#${[red, green, blue].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
      // This function runs in the page; the test program is compiled without the DOM library.
      const browserWindow = globalThis as any;
      return [...browserWindow.document.querySelectorAll('canvas')].map((canvas: any) => {
        const chart = browserWindow.Chart.getChart(canvas);
        const context = canvas.getContext('2d');
        const marks: Record<string, number> = {};
        const sampled: Array<{ label: string; expected: string; actual: string }> = [];
        const thin: string[] = [];
        chart.data.datasets.forEach((dataset: any, index: number) => {
          const meta = chart.getDatasetMeta(index);
          marks[dataset.label] = meta.data.length;
          if (dataset.type === 'line') return;
          // The largest mark: the one whose centre pixel is surely its own colour.
          const values: number[] = meta.data.map((_: unknown, position: number) => {
            const raw = dataset.data[position];
            return typeof raw === 'number' ? raw : raw.y;
          });
          const largest = values.indexOf(Math.max(...values));
          const element = meta.data[largest];
          // A stacked segment thinner than 3 px (5 ms of a 12 s cycle) has no pixel of its own colour.
          if (element.base !== undefined && Math.abs(element.base - (element.horizontal ? element.x : element.y)) < 3) {
            thin.push(dataset.label);
            return;
          }
          const centre = element.getCenterPoint();
          const [red, green, blue]: number[] = context.getImageData(Math.round(centre.x), Math.round(centre.y), 1, 1).data;
          const expected = Array.isArray(dataset.backgroundColor) ? dataset.backgroundColor[largest] : dataset.backgroundColor;
          sampled.push({ label: dataset.label, expected, actual: hex(red!, green!, blue!) });
        });
        return { id: canvas.id as string, marks, sampled, thin };
      });
    });

    expect(errors).toEqual([]);
    expect(blockedRequests).toEqual([]);
    expect(charts.map((chart: ChartMarks) => [chart.id, chart.marks])).toEqual([
      ['chart-cycles', { committed: 3, rejected: 2, failed: 1, skipped: 1 }],
      ['chart-reasons', { cycles: 3 }],
      ['chart-strategies', { 'success rate (%)': 3 }],
      ['chart-phases', { objective: 7, manifest: 7, architect: 7, precheck: 7, maestro: 7, validation: 7, commit: 7 }],
      ['chart-tokens', { input: 7, 'cached input': 7, output: 7, 'cost, cumulative (USD)': 7 }],
    ]);
    const painted = charts.flatMap((chart: ChartMarks) => chart.sampled.map((sample) => [chart.id, sample.label, sample.actual]));
    expect(painted).toEqual(charts.flatMap((chart: ChartMarks) => chart.sampled.map((sample) => [chart.id, sample.label, sample.expected])));
    expect(charts.map((chart: ChartMarks) => chart.thin)).toEqual([[], [], [], ['objective', 'manifest', 'precheck', 'maestro', 'commit'], []]);
    expect(painted.length).toBe(4 + 1 + 1 + 2 + 3);

    // The newest commit is open with its diff; opening the other one renders its diff too.
    const fileNames = () => page.$$eval('details.commit[open] .d2h-file-name', (names) => names.map((name) => name.textContent!.trim()));
    expect(await fileNames()).toEqual(['README.md']);
    await page.click(`details.commit[data-sha="${history.subtractCommit}"] summary`);
    await page.waitForSelector(`details.commit[data-sha="${history.subtractCommit}"] .diff[data-rendered="true"] .d2h-file-wrapper`);
    expect(await fileNames()).toEqual(['README.md', 'src/math.js']);
    const inserted = await page.$$eval(`details.commit[data-sha="${history.subtractCommit}"] .d2h-ins .d2h-code-line-ctn`, (lines) => lines.map((line) => line.textContent));
    expect(inserted).toEqual(['', 'export function subtract(a, b) {', '  return a - b;', '}']);
    expect(errors).toEqual([]);
    await page.close();
  });
});
