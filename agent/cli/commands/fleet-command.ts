// `hephaestus fleet add|list|remove|status`: the fleet's registry and queue in Redis
// (agent/fleet/), from any machine. Each command connects, does its one thing and disconnects.
import type { Redis } from 'ioredis';
import { addRepository } from '../../fleet/add-repository.js';
import { collectFleetStatus, type RepositoryStatus } from '../../fleet/collect-fleet-status.js';
import { openFleetQueue, type FleetQueue } from '../../fleet/fleet-queue.js';
import { listRepositories, type RepositoryEntry } from '../../fleet/fleet-repositories.js';
import { connectRedis, resolveRedisUrl } from '../../fleet/redis-connection.js';
import { removeRepository } from '../../fleet/remove-repository.js';
import type { CommandIo } from '../command-io.js';
import { formatCycleLine } from '../progress-display.js';

interface FleetOptions {
  redis?: string;
  json?: boolean;
}

async function withFleet<T>(options: FleetOptions, work: (redis: Redis, queue: FleetQueue) => Promise<T>): Promise<T> {
  const redis = await connectRedis(resolveRedisUrl(options.redis));
  const queue = openFleetQueue(redis);
  try {
    return await work(redis, queue);
  } finally {
    await queue.close().catch(() => undefined);
    await redis.quit().catch(() => undefined);
  }
}

export async function runFleetAddCommand(options: FleetOptions & { repo: string; cycles?: number; schedule?: string; config?: string }, io: CommandIo): Promise<number> {
  const added = await withFleet(options, (redis, queue) =>
    addRepository(redis, queue, {
      repo: options.repo,
      ...(options.cycles !== undefined ? { cycles: options.cycles } : {}),
      ...(options.schedule !== undefined ? { schedule: options.schedule } : {}),
      ...(options.config !== undefined ? { configFile: options.config } : {}),
    }),
  );
  const { entry, jobId } = added;
  if (options.json) {
    io.out(JSON.stringify({ ...publicEntry(entry), jobId }));
    return 0;
  }
  const when = entry.schedule === null ? `run queued as job ${jobId}` : `runs on the schedule "${entry.schedule}"`;
  io.out(`Added ${entry.id} (${entry.location}): ${entry.cycles} cycle(s) per run, ${when}. Start workers with: hephaestus worker`);
  return 0;
}

export async function runFleetListCommand(options: FleetOptions, io: CommandIo): Promise<number> {
  const entries = await withFleet(options, (redis) => listRepositories(redis));
  if (options.json) {
    io.out(JSON.stringify(entries.map(publicEntry)));
    return 0;
  }
  if (entries.length === 0) {
    io.out('The fleet is empty. Add a repository with: hephaestus fleet add --repo URL|PATH');
    return 0;
  }
  const rows = [['id', 'kind', 'cycles', 'schedule', 'location'], ...entries.map((entry) => [entry.id, entry.kind, String(entry.cycles), entry.schedule ?? '-', entry.location])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) io.out(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
  return 0;
}

export async function runFleetRemoveCommand(id: string, options: FleetOptions, io: CommandIo): Promise<number> {
  const removed = await withFleet(options, (redis, queue) => removeRepository(redis, queue, id));
  if (options.json) {
    io.out(JSON.stringify({ id, removedJobs: removed.removedJobs }));
    return 0;
  }
  io.out(`Removed ${id} (${removed.entry.location}) from the fleet; ${removed.removedJobs} queued run(s) dropped. A run in progress finishes.`);
  return 0;
}

export async function runFleetStatusCommand(id: string | undefined, options: FleetOptions & { cycles?: number }, io: CommandIo): Promise<number> {
  const statuses = await withFleet(options, (redis, queue) =>
    collectFleetStatus(redis, queue, { ...(id !== undefined ? { repositoryId: id } : {}), ...(options.cycles !== undefined ? { cycles: options.cycles } : {}) }),
  );
  if (options.json) {
    io.out(JSON.stringify(statuses.map((status) => ({ ...status, repository: publicEntry(status.repository) }))));
    return 0;
  }
  if (statuses.length === 0) io.out('The fleet is empty. Add a repository with: hephaestus fleet add --repo URL|PATH');
  for (const [index, status] of statuses.entries()) {
    if (index > 0) io.out('');
    for (const line of formatRepositoryStatus(status)) io.out(line);
  }
  return 0;
}

export function formatRepositoryStatus(status: RepositoryStatus): string[] {
  const { repository, jobs, lastRun } = status;
  const lines = [`${repository.id}  ${repository.location}  (${repository.cycles} cycle(s) per run${repository.schedule === null ? '' : `, schedule "${repository.schedule}"`})`];
  const next = jobs.nextScheduledAt === null ? '' : `; next scheduled run ${new Date(jobs.nextScheduledAt).toISOString()}`;
  lines.push(`  jobs: ${jobs.waiting} waiting, ${jobs.active} running, ${jobs.delayed} delayed${next}${status.runningOn === null ? '' : `; running on ${status.runningOn}`}`);
  if (lastRun !== null) {
    const at = new Date(lastRun.at).toISOString();
    const what =
      lastRun.type === 'run-finished'
        ? `${lastRun.committed} committed${lastRun.stopReason === null ? '' : ` (stopped: ${lastRun.stopReason})`}${lastRun.pushed === null ? '' : `, pushed ${lastRun.pushed.slice(0, 12)}`}`
        : lastRun.type === 'run-failed'
          ? `failed ${lastRun.code}: ${lastRun.message.split('\n')[0]}`
          : `released: ${lastRun.reason}`;
    lines.push(`  last run: job ${lastRun.jobId} on ${lastRun.worker} at ${at}: ${what}`);
  }
  lines.push(status.lastCycles.length === 0 ? '  no cycles yet' : `  last ${status.lastCycles.length} cycle(s):`);
  for (const cycle of status.lastCycles) lines.push(`    ${formatCycleLine(cycle.record)} (${cycle.worker})`);
  return lines;
}

/** The entry as shown: the config file's name, not its text. */
function publicEntry(entry: RepositoryEntry): Omit<RepositoryEntry, 'config'> & { config: string | null } {
  return { ...entry, config: entry.config?.file ?? null };
}
