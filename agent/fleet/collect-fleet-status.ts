// `fleet status` and `fleet list`: every repository of the fleet with its queued and running
// jobs, who holds it now, its last run and its last cycle records, read from Redis, so any
// machine sees the same.
import type { Redis } from 'ioredis';
import type { CycleRecord } from '../cycle/cycle-record.js';
import { jobsByRepository, type FleetQueue, type RepositoryJobs } from './fleet-queue.js';
import { readReports, type FleetReport } from './fleet-reports.js';
import { getRepository, listRepositories, type RepositoryEntry } from './fleet-repositories.js';
import { lockHolderOf } from './repository-lock.js';

export interface RepositoryStatus {
  repository: RepositoryEntry;
  jobs: RepositoryJobs;
  /** The worker running it now, or null. */
  runningOn: string | null;
  /** The last report that ended a run (finished, failed or released), or null. */
  lastRun: Exclude<FleetReport, { type: 'cycle' | 'run-started' }> | null;
  /** The last cycle records, oldest first, with the worker that ran each. */
  lastCycles: Array<{ worker: string; jobId: string; record: CycleRecord }>;
}

/** How many reports are read back per repository to find its last cycles. */
const REPORTS_READ = 200;

export async function collectFleetStatus(redis: Redis, queue: FleetQueue, options: { repositoryId?: string; cycles?: number } = {}): Promise<RepositoryStatus[]> {
  const repositories = options.repositoryId === undefined ? await listRepositories(redis) : [await getRepository(redis, options.repositoryId)];
  const jobs = await jobsByRepository(queue);
  const cycles = options.cycles ?? 5;
  return Promise.all(
    repositories.map(async (repository): Promise<RepositoryStatus> => {
      const reports = (await readReports(redis, repository.id, REPORTS_READ)).map((stored) => stored.report);
      const lastRun = reports.findLast((report) => report.type === 'run-finished' || report.type === 'run-failed' || report.type === 'run-released') ?? null;
      const lastCycles = reports.flatMap((report) => (report.type === 'cycle' ? [{ worker: report.worker, jobId: report.jobId, record: report.record }] : [])).slice(-cycles);
      return {
        repository,
        jobs: jobs.get(repository.id) ?? { waiting: 0, active: 0, delayed: 0, nextScheduledAt: null },
        runningOn: await lockHolderOf(redis, repository.id),
        lastRun: lastRun as RepositoryStatus['lastRun'],
        lastCycles,
      };
    }),
  );
}
