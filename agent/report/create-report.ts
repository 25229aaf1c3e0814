// The report of a repository built in process: its evolution history as data and as the
// self-contained HTML page that `hephaestus report` writes (the CLI and library users share it).
import { collectReport, type CollectedReport, type CollectReportOptions } from './collect-report.js';
import { renderReportHtml } from './render-report-html.js';
import { loadReportAssets } from './report-assets.js';

export interface Report extends CollectedReport {
  /** The whole page, chart.js and diff2html inlined; write it anywhere. */
  html: string;
}

/** Read-only: takes no lock and writes no file. */
export async function createReport(options: CollectReportOptions): Promise<Report> {
  const [collected, assets] = await Promise.all([collectReport(options), loadReportAssets()]);
  return { ...collected, html: renderReportHtml(collected.data, assets) };
}
