// The code metrics objective generation looks at: largest files, most complex and longest
// functions, untested modules, TODO hot spots and syntax errors, each pointing at file and line.
import { untestedModules } from './import-graph.js';
import { comparePaths } from './list-files.js';
import type { ScanResult, ScannedFile } from './scan-types.js';

export interface MetricsLimits {
  /** Entries per list (default 10). */
  perList: number;
}

export interface FunctionLocation {
  path: string;
  line: number;
  name: string;
  complexity: number;
  length: number;
}

export interface MetricsSummary {
  totals: { files: number; codeFiles: number; testFiles: number; lines: number; functions: number; todos: number; syntaxErrors: number; skipped: number };
  /** Source and test files by line count (data files such as lockfiles are left out). */
  largestFiles: Array<{ path: string; line: 1; lines: number; bytes: number }>;
  /** Functions and methods of non-test files. */
  mostComplex: FunctionLocation[];
  /** Functions and methods of non-test files. */
  longestFunctions: FunctionLocation[];
  untestedModules: Array<{ path: string; line: 1; lines: number }>;
  todoHotSpots: Array<{ path: string; line: number; count: number; first: string }>;
  syntaxErrors: Array<{ path: string; line: number; column: number; message: string }>;
  /** Files listed but not read, with the reason (binary, too-large, symlink, …). */
  skipped: Array<{ path: string; status: string }>;
}

const DEFAULT_LIMITS: MetricsLimits = { perList: 10 };

export function summarizeMetrics(scan: ScanResult, limits: Partial<MetricsLimits> = {}): MetricsSummary {
  const { perList } = { ...DEFAULT_LIMITS, ...limits };
  const files = scan.files;
  const code = files.filter((file) => file.status === 'parsed');
  // Test bodies (describe/it callbacks) are long by nature; they would crowd out the source.
  const functions = code.filter((file) => !file.isTest).flatMap((file) => file.functions.map((metric): FunctionLocation => ({ path: file.path, ...pick(metric) })));
  const byPathAndLine = (left: { path: string; line: number }, right: { path: string; line: number }) => comparePaths(left.path, right.path) || left.line - right.line;
  const lineCounts = new Map(files.map((file) => [file.path, file.lines]));

  return {
    totals: {
      files: files.length,
      codeFiles: code.length,
      testFiles: files.filter((file) => file.isTest).length,
      lines: sum(files.map((file) => file.lines)),
      functions: functions.length,
      todos: sum(files.map((file) => file.todos.length)),
      syntaxErrors: sum(files.map((file) => file.syntaxErrors.length)),
      skipped: files.filter((file) => file.status !== 'parsed' && file.status !== 'text').length,
    },
    largestFiles: files
      .filter((file) => file.status === 'parsed')
      .sort((left, right) => right.lines - left.lines || comparePaths(left.path, right.path))
      .slice(0, perList)
      .map((file) => ({ path: file.path, line: 1, lines: file.lines, bytes: file.bytes })),
    mostComplex: [...functions].sort((left, right) => right.complexity - left.complexity || byPathAndLine(left, right)).slice(0, perList),
    longestFunctions: [...functions].sort((left, right) => right.length - left.length || byPathAndLine(left, right)).slice(0, perList),
    untestedModules: untestedModules(scan)
      .map((path) => ({ path, line: 1 as const, lines: lineCounts.get(path) ?? 0 }))
      .sort((left, right) => right.lines - left.lines || comparePaths(left.path, right.path))
      .slice(0, perList),
    todoHotSpots: files
      .filter((file) => file.todos.length > 0)
      .sort((left, right) => right.todos.length - left.todos.length || comparePaths(left.path, right.path))
      .slice(0, perList)
      .map((file) => ({ path: file.path, line: file.todos[0]!.line, count: file.todos.length, first: file.todos[0]!.text })),
    syntaxErrors: files.flatMap((file) => file.syntaxErrors.map((issue) => ({ path: file.path, ...issue }))).slice(0, perList),
    skipped: files.filter((file) => file.status !== 'parsed' && file.status !== 'text').map((file) => ({ path: file.path, status: file.status })).slice(0, perList),
  };
}

/** The summary as Markdown for prompts and AGENTS.md: one line per entry, `path:line` first. */
export function renderMetricsSummary(summary: MetricsSummary): string {
  const { totals } = summary;
  const sections: string[] = [
    `${totals.files} files (${totals.codeFiles} code, ${totals.testFiles} tests), ${totals.lines} lines, ${totals.functions} functions outside tests, ${totals.todos} TODO/FIXME markers, ${totals.syntaxErrors} syntax errors, ${totals.skipped} files not read.`,
  ];
  const section = (title: string, lines: string[]) => {
    if (lines.length > 0) sections.push(`### ${title}\n\n${lines.map((line) => `- ${line}`).join('\n')}`);
  };
  section('Largest files', summary.largestFiles.map((file) => `${file.path} — ${file.lines} lines`));
  section('Most complex functions', summary.mostComplex.map((metric) => `${metric.path}:${metric.line} ${metric.name} — complexity ${metric.complexity}, ${metric.length} lines`));
  section('Longest functions', summary.longestFunctions.map((metric) => `${metric.path}:${metric.line} ${metric.name} — ${metric.length} lines, complexity ${metric.complexity}`));
  section('Modules no test reaches', summary.untestedModules.map((module) => `${module.path} — ${module.lines} lines`));
  section('TODO hot spots', summary.todoHotSpots.map((spot) => `${spot.path}:${spot.line} — ${spot.count} marker${spot.count === 1 ? '' : 's'}, first: ${spot.first}`));
  section('Syntax errors', summary.syntaxErrors.map((issue) => `${issue.path}:${issue.line}:${issue.column} ${issue.message}`));
  section('Files not read', summary.skipped.map((file) => `${file.path} — ${file.status}`));
  return sections.join('\n\n');
}

function pick(metric: ScannedFile['functions'][number]): Omit<FunctionLocation, 'path'> {
  return { line: metric.line, name: metric.name, complexity: metric.complexity, length: metric.length };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
