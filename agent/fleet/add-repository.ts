// `fleet add`: checks the repository, the schedule and the config file, records the repository
// in the registry, and queues a run now or (with a schedule) creates its job scheduler.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { loadConfig } from '../config/load-config.js';
import { FleetInputError } from './fleet-errors.js';
import { checkSchedule, enqueueRun, scheduleRuns, type FleetQueue } from './fleet-queue.js';
import { saveRepository, type RepositoryEntry } from './fleet-repositories.js';
import { repositoryIdOf, resolveRepositoryLocation } from './repository-location.js';

export interface AddRepositoryOptions {
  /** A git URL or the path of a local repository. */
  repo: string;
  cycles?: number;
  /** A cron pattern: runs are queued by a job scheduler instead of once now. */
  schedule?: string;
  /** A config file for the runs, carried to every worker. */
  configFile?: string;
  cwd?: string;
  now?: () => Date;
}

export interface AddedRepository {
  entry: RepositoryEntry;
  /** The queued run, or null when the repository runs on a schedule. */
  jobId: string | null;
}

export const DEFAULT_FLEET_CYCLES = 1;

export async function addRepository(redis: Redis, queue: FleetQueue, options: AddRepositoryOptions): Promise<AddedRepository> {
  const cwd = options.cwd ?? process.cwd();
  const cycles = options.cycles ?? DEFAULT_FLEET_CYCLES;
  if (!Number.isInteger(cycles) || cycles < 1) throw new FleetInputError(`--cycles must be a positive integer, received ${cycles}.`);
  if (options.schedule !== undefined) checkSchedule(options.schedule);
  const config = options.configFile === undefined ? null : await readConfigFile(path.resolve(cwd, options.configFile), cwd);
  const { kind, location } = await resolveRepositoryLocation(options.repo, cwd);
  const entry: RepositoryEntry = {
    id: repositoryIdOf(location),
    kind,
    location,
    cycles,
    schedule: options.schedule ?? null,
    config,
    addedAt: (options.now?.() ?? new Date()).toISOString(),
  };
  await saveRepository(redis, entry);
  if (entry.schedule !== null) {
    await scheduleRuns(queue, { ...entry, schedule: entry.schedule });
    return { entry, jobId: null };
  }
  // Re-added without a schedule: an earlier scheduler stops.
  await queue.removeJobScheduler(entry.id);
  return { entry, jobId: await enqueueRun(queue, entry) };
}

/** Reads and validates the file now, so a mistake shows here and not on some worker later. */
async function readConfigFile(file: string, cwd: string): Promise<{ file: string; text: string }> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new FleetInputError(`--config ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`);
  });
  await loadConfig({ repoRoot: cwd, configPath: file });
  return { file, text };
}
