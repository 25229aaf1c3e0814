// What `hephaestus status` and Agent.status() report: the last cycles, success rate per
// strategy, the objective queue, cache statistics and the LLM budget used by the last run.
// Read-only: it takes no lock and changes no file (a corrupt memory is reported, not moved aside).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readCacheStats, type CacheStatsReport } from '../cache/cache-stats.js';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import type { CycleRecord } from '../cycle/cycle-record.js';
import { locateRepository, runGit } from '../git/git-environment.js';
import { MEMORY_FILE_NAME } from '../memory/agent-memory.js';
import { memorySchema, type StrategyStats } from '../memory/memory-schema.js';
import { readQueue, type QueueContents } from '../objectives/objective-queue.js';
import { readCycleRecords } from './evolution-log.js';
import { runNumbers } from './run-numbers.js';
import { stateDirOf } from './state-dir.js';

export interface StatusReport {
  branch: { name: string; tip: string | null; aheadOfHead: number | null };
  lastCycles: CycleRecord[];
  /** The run number (1, 2, 3… in log order) of each run id among lastCycles: "run 3 · cycle 2". */
  runs: Record<string, number>;
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
  return statusOf(repository.root, config, cycles);
}

/** The status of a repository whose config is already known. */
export async function statusOf(repoRoot: string, config: Config, cycles = 5): Promise<StatusReport> {
  const repository = { root: repoRoot };
  const stateDir = stateDirOf(repoRoot);
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
  const lastCycles = records.records.slice(-cycles);
  const numbers = runNumbers(records.records);
  const sum = (pick: (record: CycleRecord) => number) => lastRunRecords.reduce((total, record) => total + pick(record), 0);
  return {
    branch: { name: config.git.branch, tip: tipSha, aheadOfHead },
    lastCycles,
    runs: Object.fromEntries(lastCycles.map((record) => [record.runId, numbers.get(record.runId)!])),
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
