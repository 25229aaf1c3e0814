// The libraries the report page inlines, read from the installed packages: Chart.js (canvas
// charts; one UMD file, no date adapter needed) and diff2html (diffs as side-by-side HTML).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface ReportAssets {
  chartScript: string;
  diffScript: string;
  diffStyles: string;
}

const require = createRequire(import.meta.url);
let loaded: Promise<ReportAssets> | null = null;

/** Read once per process; the files are the installed packages' own builds. */
export function loadReportAssets(): Promise<ReportAssets> {
  loaded ??= readAssets().catch((error: unknown) => {
    loaded = null;
    throw error;
  });
  return loaded;
}

async function readAssets(): Promise<ReportAssets> {
  // chart.js exports no subpaths: its UMD build sits beside the CommonJS entry point.
  const chartDist = path.dirname(require.resolve('chart.js'));
  const diffRoot = path.dirname(require.resolve('diff2html/package.json'));
  const [chartScript, diffScript, diffStyles] = await Promise.all([
    readFile(path.join(chartDist, 'chart.umd.min.js'), 'utf8'),
    readFile(path.join(diffRoot, 'bundles', 'js', 'diff2html.min.js'), 'utf8'),
    readFile(path.join(diffRoot, 'bundles', 'css', 'diff2html.min.css'), 'utf8'),
  ]);
  return { chartScript, diffScript, diffStyles };
}
