// `fleet remove`: the repository leaves the registry; its scheduler, its jobs not yet started
// and its reports go with it. A run in progress finishes; nothing is queued for it again.
import type { Redis } from 'ioredis';
import { unscheduleRepository, type FleetQueue } from './fleet-queue.js';
import { deleteReports } from './fleet-reports.js';
import { deleteRepository, getRepository, type RepositoryEntry } from './fleet-repositories.js';

export interface RemovedRepository {
  entry: RepositoryEntry;
  /** Queued runs that were dropped. */
  removedJobs: number;
}

export async function removeRepository(redis: Redis, queue: FleetQueue, id: string): Promise<RemovedRepository> {
  const entry = await getRepository(redis, id);
  await deleteRepository(redis, id);
  const removedJobs = await unscheduleRepository(queue, id);
  await deleteReports(redis, id);
  return { entry, removedJobs };
}
