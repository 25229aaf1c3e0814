// The fleet's BullMQ queue: a job is "run N cycles on repository R". Runs are queued now or by
// a job scheduler (cron); jobs are retried with backoff, and a job whose worker died is
// handed to another worker once its lock expires.
import { Queue, type JobsOptions } from 'bullmq';
import cronParser from 'cron-parser';
import type { Redis } from 'ioredis';
import { FleetInputError } from './fleet-errors.js';
import { QUEUE_NAME, QUEUE_PREFIX } from './fleet-keys.js';
import type { RepositoryEntry } from './fleet-repositories.js';

export interface FleetJobData {
  repositoryId: string;
  cycles: number;
}

export type FleetQueue = Queue<FleetJobData>;

export const JOB_NAME = 'run';

/** Attempts per job; a dead worker's stalled job is moved back to waiting without using one. */
const JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { count: 1_000 },
  removeOnFail: { count: 1_000 },
};

export function openFleetQueue(connection: Redis): FleetQueue {
  return new Queue<FleetJobData>(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
}

/** A cron pattern (5 fields, or 6 with seconds first); FleetInputError naming what is wrong. */
export function checkSchedule(pattern: string): void {
  const fields = pattern.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) {
    throw new FleetInputError(`--schedule "${pattern}" has ${fields.length} field(s); a cron pattern has 5 ("minute hour day month weekday", e.g. "0 3 * * *" for 03:00 daily) or 6 with seconds first.`);
  }
  try {
    cronParser.parseExpression(pattern);
  } catch (error) {
    throw new FleetInputError(`--schedule "${pattern}" is not a valid cron pattern (${(error as Error).message}); e.g. "0 3 * * *" runs at 03:00 daily.`);
  }
}

export async function enqueueRun(queue: FleetQueue, entry: RepositoryEntry): Promise<string> {
  const job = await queue.add(JOB_NAME, { repositoryId: entry.id, cycles: entry.cycles }, JOB_OPTIONS);
  return job.id ?? '';
}

/** Creates or replaces the repository's job scheduler (its id is the repository id). */
export async function scheduleRuns(queue: FleetQueue, entry: RepositoryEntry & { schedule: string }): Promise<void> {
  await queue.upsertJobScheduler(entry.id, { pattern: entry.schedule }, { name: JOB_NAME, data: { repositoryId: entry.id, cycles: entry.cycles }, opts: JOB_OPTIONS });
}

/** Removes the scheduler and the repository's jobs that have not started; returns how many were removed. */
export async function unscheduleRepository(queue: FleetQueue, repositoryId: string): Promise<number> {
  await queue.removeJobScheduler(repositoryId);
  let removed = 0;
  for (const job of await queue.getJobs(['waiting', 'delayed', 'prioritized', 'paused'])) {
    if (job?.data.repositoryId !== repositoryId) continue;
    await job.remove().then(
      () => (removed += 1),
      () => undefined, // picked up by a worker meanwhile: it finds the repository gone
    );
  }
  return removed;
}

export interface RepositoryJobs {
  waiting: number;
  active: number;
  delayed: number;
  /** The next scheduled run, ms since the epoch, or null. */
  nextScheduledAt: number | null;
}

/** Jobs per repository id, and each scheduler's next run. */
export async function jobsByRepository(queue: FleetQueue): Promise<Map<string, RepositoryJobs>> {
  const byRepository = new Map<string, RepositoryJobs>();
  const entryOf = (id: string) => {
    let jobs = byRepository.get(id);
    if (!jobs) byRepository.set(id, (jobs = { waiting: 0, active: 0, delayed: 0, nextScheduledAt: null }));
    return jobs;
  };
  for (const state of ['waiting', 'active', 'delayed'] as const) {
    for (const job of await queue.getJobs([state])) if (job) entryOf(job.data.repositoryId)[state] += 1;
  }
  for (const scheduler of await queue.getJobSchedulers()) {
    if (scheduler.key && scheduler.next !== undefined) entryOf(scheduler.key).nextScheduledAt = scheduler.next;
  }
  return byRepository;
}
