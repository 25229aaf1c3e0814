// `hephaestus status [--repo DIR] [--json]`: the last cycles, success rate per strategy, the
// objective queue, cache statistics and the LLM budget used by the last run. Read-only: it
// takes no lock and changes no file (a corrupt memory is reported, not moved aside).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readCacheStats, type CacheStatsReport } from '../../cache/cache-stats.js';
import { loadConfig } from '../../config/load-config.js';
import { locateRepository, runGit } from '../../git/git-environment.js';
import { MEMORY_FILE_NAME } from '../../memory/agent-memory.js';
import { memorySchema, type StrategyStats } from '../../memory/memory-schema.js';
import { readCycleRecords, type CycleRecord } from '../../objectives/evolution-log.js';
import { readQueue, type QueueContents } from '../../objectives/objective-queue.js';
import { stateDirOf } from '../../state/state-dir.js';
import type { CommandIo } from '../command-io.js';
import { formatCycleLine } from '../progress-display.js';
import { formatStats } from './cache-command.js';

export interface StatusReport {
  branch: { name: string; tip: string | null; aheadOfHead: number | null };
  lastCycles: CycleRecord[];
  strategies: Record<string, StrategyStats & { rate: number }>;
  memory: 'ok' | 'missing' | 'unreadable';
  queue: QueueContents;
  cache: CacheStatsReport;
  budget: {
    lastRun: { runId: string; cycles: number; calls: number; tokensIn: number; tokensOut: number; cost: number } | null;
    limits: { tokensPerCycle: number | null; tokensPerRun: number | null; costPerRun: number | null };
  };
}

export async function collectStatus(repoDir: string, configPath?: string, cycles = 5): Promise<StatusReport> {
  const repository = await locateRepository(path.resolve(repoDir));
  const { config } = await loadConfig({ repoRoot: repository.root, configPath });
  const stateDir = stateDirOf(repository.root);
  const [tip, records, memoryText, queue, cache] = await Promise.all([
    runGit(repository.root, ['rev-parse', '--verify', '-q', `refs/heads/${config.git.branch}^{commit}`], { allowFailure: true }),
    readCycleRecords(stateDir),
    readFile(path.join(stateDir, MEMORY_FILE_NAME), 'utf8').catch(() => null),
    readQueue(stateDir),
    readCacheStats(stateDir),
  ]);
  const tipSha = tip.exitCode === 0 ? tip.stdout.trim() : null;
  let aheadOfHead: number | null = null;
  if (tipSha) {
    const ahead = await runGit(repository.root, ['rev-list', '--count', `HEAD..${tipSha}`], { allowFailure: true });
    aheadOfHead = ahead.exitCode === 0 ? Number(ahead.stdout.trim()) : null;
  }

  let memory: StatusReport['memory'] = 'missing';
  const strategies: StatusReport['strategies'] = {};
  if (memoryText !== null) {
    let parsed: ReturnType<typeof memorySchema.safeParse> | null = null;
    try {
      parsed = memorySchema.safeParse(JSON.parse(memoryText));
    } catch {
      parsed = null;
    }
    memory = parsed?.success ? 'ok' : 'unreadable';
    if (parsed?.success) {
      for (const [name, stats] of Object.entries(parsed.data.strategyStats)) {
        strategies[name] = { ...stats, rate: stats.attempts === 0 ? 0 : stats.successes / stats.attempts };
      }
    }
  }

  const last = records.records.at(-1);
  const lastRunRecords = last ? records.records.filter((record) => record.runId === last.runId) : [];
  const sum = (pick: (record: CycleRecord) => number) => lastRunRecords.reduce((total, record) => total + pick(record), 0);
  return {
    branch: { name: config.git.branch, tip: tipSha, aheadOfHead },
    lastCycles: records.records.slice(-cycles),
    strategies,
    memory,
    queue,
    cache,
    budget: {
      lastRun: last
        ? {
            runId: last.runId,
            cycles: lastRunRecords.length,
            calls: sum((record) => record.llm.calls),
            tokensIn: sum((record) => record.llm.tokensIn),
            tokensOut: sum((record) => record.llm.tokensOut),
            cost: sum((record) => record.llm.cost),
          }
        : null,
      limits: config.llm.budget,
    },
  };
}

export async function runStatusCommand(options: { repo?: string; config?: string; json?: boolean }, io: CommandIo): Promise<number> {
  const report = await collectStatus(options.repo ?? process.cwd(), options.config);
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
  for (const record of report.lastCycles) lines.push(`  ${formatCycleLine(record)}`);
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
      ? `Budget, last run: ${lastRun.calls} call(s), ${lastRun.tokensIn + lastRun.tokensOut} tokens (${limit(limits.tokensPerRun, ' per run')}), cost ${lastRun.cost.toFixed(4)} (${limit(limits.costPerRun, ' per run')}).`
      : 'Budget: no run recorded yet.',
  );
  return lines;
}
