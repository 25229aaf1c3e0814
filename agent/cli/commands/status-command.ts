// `hephaestus status [--repo DIR] [--json]`: prints what agent/state/collect-status.ts reports.
import { collectStatus, type StatusReport } from '../../state/collect-status.js';
import type { CommandIo } from '../command-io.js';
import { cycleLabel } from '../../state/run-numbers.js';
import { formatCycleLine } from '../progress-display.js';
import { formatStats, warnIfUnavailable } from './cache-command.js';

export async function runStatusCommand(options: { repo?: string; config?: string; json?: boolean }, io: CommandIo): Promise<number> {
  const report = await collectStatus(options.repo ?? process.cwd(), options.config);
  // Status works without the cache: one warning, then everything else.
  warnIfUnavailable(report.cache, io);
  if (options.json) {
    io.out(JSON.stringify(report));
    return 0;
  }
  for (const line of formatStatus(report)) io.out(line);
  return 0;
}

export function formatStatus(report: StatusReport): string[] {
  const lines: string[] = [];
  const { branch } = report;
  lines.push(
    branch.tip
      ? `Branch ${branch.name} at ${branch.tip.slice(0, 12)}${branch.aheadOfHead !== null ? ` (${branch.aheadOfHead} commit${branch.aheadOfHead === 1 ? '' : 's'} ahead of HEAD)` : ''}`
      : `Branch ${branch.name} does not exist yet (the first committed cycle creates it from HEAD)`,
  );
  lines.push('', report.lastCycles.length === 0 ? 'No cycles yet.' : `Last ${report.lastCycles.length} cycle(s):`);
  const runs = new Map(Object.entries(report.runs));
  for (const record of report.lastCycles) lines.push(`  ${formatCycleLine(record, cycleLabel(record, runs))}`);
  const strategies = Object.entries(report.strategies).sort(([left], [right]) => left.localeCompare(right));
  lines.push('', report.memory === 'unreadable' ? 'Strategies: memory.json is unreadable (the next run keeps it aside and starts fresh).' : strategies.length === 0 ? 'Strategies: no attempts recorded.' : 'Strategies (passed/attempts):');
  for (const [name, stats] of strategies) lines.push(`  ${name.padEnd(22)} ${stats.successes}/${stats.attempts} (${Math.round(stats.rate * 100)}%)`);
  const queued = [...report.queue.user.map((entry) => ({ ...entry, kind: 'user' })), ...[...report.queue.stack].reverse().map((entry) => ({ ...entry, kind: entry.source }))];
  lines.push('', queued.length === 0 ? 'Queue: empty (objectives are generated from the code metrics).' : `Queue (${queued.length}, next first):`);
  queued.forEach((entry, index) => lines.push(`  ${index + 1}. [${entry.kind}] ${entry.text.split('\n')[0]}`));
  lines.push('', ...formatStats(report.cache));
  const { lastRun, limits } = report.budget;
  const limit = (value: number | null, unit: string) => (value === null ? 'no limit' : `limit ${value}${unit}`);
  lines.push(
    '',
    lastRun
      ? `Budget, last run: ${lastRun.calls} call(s), ${lastRun.tokensIn + lastRun.tokensOut} tokens (${limit(limits.tokensPerRun, ' per run')}), cost $${lastRun.cost.toFixed(4)} (${limits.costPerRun === null ? 'no limit' : `limit $${limits.costPerRun} per run`}).`
      : 'Budget: no run recorded yet.',
  );
  return lines;
}
