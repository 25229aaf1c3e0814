// The eval report for a terminal: one table row per task, the problem and last output lines
// of every unresolved task, then the summary line `N passed, M failed`.
import type { EvalReport } from './run-eval.js';
import type { TaskResult } from './task-result.js';

const COLUMNS = ['task', 'provider', 'first cycle', 'resolved', 'commits', 'suite', 'time', 'setup', 'cycles', 'calls', 'tokens in/out/cached', 'cost'] as const;

export function renderEvalReport(report: EvalReport): string[] {
  const rows = report.tasks.map(rowOf);
  const widths = COLUMNS.map((column, index) => Math.max(column.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
  const lines = [line(COLUMNS), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];

  for (const skipped of report.skipped) lines.push(`not run: ${skipped.name} (${skipped.reason})`);
  const unresolved = report.tasks.filter((task) => !task.resolved);
  for (const task of unresolved) {
    lines.push('', `${task.name}: ${task.problem ?? 'not resolved'}`);
    if (task.output) lines.push(...task.output.split('\n').map((text) => `    ${text}`));
    if (task.directory) lines.push(`    kept in ${task.directory}`);
  }
  const totals = report.tasks.reduce((sum, task) => ({ calls: sum.calls + task.llm.calls, tokens: sum.tokens + task.llm.tokensIn + task.llm.tokensOut, cost: sum.cost + task.llm.cost }), { calls: 0, tokens: 0, cost: 0 });
  lines.push('', `wall time ${seconds(report.wallMs)}; LLM: ${totals.calls} call(s), ${totals.tokens} tokens, $${totals.cost.toFixed(4)}${report.out ? `; kept in ${report.out}` : ''}`);
  lines.push(summaryLine(report));
  return lines;
}

export function summaryLine(report: Pick<EvalReport, 'passed' | 'failed'>): string {
  return `${report.passed} passed, ${report.failed} failed`;
}

function rowOf(task: TaskResult): string[] {
  const first = task.cycles[0];
  const cycle = first ? `${first.outcome}${first.reason ? ` ${first.reason}` : ''}` : task.stoppedAt ? `(stopped at ${task.stoppedAt})` : '-';
  const suite = task.suitePassed === null ? '-' : task.suitePassed ? 'pass' : 'FAIL';
  const { llm } = task;
  return [
    task.name,
    task.provider,
    cycle,
    task.resolved ? 'yes' : 'NO',
    String(task.commits),
    suite,
    seconds(task.durationsMs.total),
    seconds(task.durationsMs.setup),
    seconds(task.durationsMs.cycles),
    String(llm.calls),
    `${llm.tokensIn}/${llm.tokensOut}/${llm.tokensCached}`,
    `$${llm.cost.toFixed(4)}`,
  ];
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)}s`;
}
