// `npm run bench`: runs every *.bench.ts under test/bench/ and prints one table of figures
// and ratios. A benchmark that throws is reported and makes the run exit 1.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, BenchRow } from './bench-kit.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = (await readdir(benchDir)).filter((name) => name.endsWith('.bench.ts') && (!filter || name.includes(filter))).sort();

const results: Array<{ benchmark: string; row: BenchRow }> = [];
let failed = false;
for (const file of files) {
  const module = (await import(pathToFileURL(path.join(benchDir, file)).href)) as { default: Benchmark };
  const benchmark = module.default;
  process.stderr.write(`running ${benchmark.name} (${file})...\n`);
  try {
    for (const row of await benchmark.run()) results.push({ benchmark: benchmark.name, row });
  } catch (error) {
    failed = true;
    process.stderr.write(`  ${benchmark.name} failed: ${(error as Error).stack ?? String(error)}\n`);
  }
}

const header = ['benchmark', 'metric', 'value', 'target', 'met'];
const lines = results.map(({ benchmark, row }) => [
  benchmark,
  row.metric,
  `${formatValue(row.value)} ${row.unit}`,
  row.target ?? '',
  row.met === undefined ? '' : row.met ? 'yes' : 'NO',
]);
const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
const render = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
process.stdout.write(`${render(header)}\n${render(widths.map((width) => '-'.repeat(width)))}\n${lines.map(render).join('\n')}\n`);
if (failed) process.exitCode = 1;

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
