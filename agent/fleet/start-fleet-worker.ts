// A fleet worker: a BullMQ Worker on the fleet's queue that runs each job with
// runRepositoryJob, with the shared `llm` cache in Redis. Shutting down (close(), or the
// signal) lets the running cycle end, puts its job back in the queue and closes the connections.
import os from 'node:os';
import path from 'node:path';
import { Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { QUEUE_NAME, QUEUE_PREFIX } from './fleet-keys.js';
import type { FleetJobData } from './fleet-queue.js';
import { connectRedis, redactUrl } from './redis-connection.js';
import { openRedisLlmCache } from './redis-llm-cache.js';
import { runRepositoryJob, type FleetJobResult, type WorkerContext } from './run-repository-job.js';
import { warmUpWorker } from './warm-up-worker.js';

export const DEFAULT_LOCK_MS = 30_000;
const DEFAULT_BUSY_RETRY_MS = 2_000;

export type FleetWorkerEvent =
  | { type: 'job-active'; jobId: string; repositoryId: string; attempt: number }
  | { type: 'job-completed'; jobId: string; repositoryId: string; result: FleetJobResult }
  | { type: 'job-failed'; jobId: string; repositoryId: string; message: string; willRetry: boolean };

export interface FleetWorkerOptions {
  redisUrl: string;
  /** Jobs run at once by this worker (each on a different repository). */
  concurrency: number;
  /** Clones and config files (default: $XDG_CACHE_HOME/hephaestus/fleet). */
  cacheDir?: string;
  /** How long a job and its repository stay locked without renewal: how soon a dead worker's job moves on. */
  lockMs?: number;
  busyRetryMs?: number;
  logger: Logger;
  signal: AbortSignal;
  onEvent?: (event: FleetWorkerEvent) => void;
  clock?: Clock;
}

export interface FleetWorker {
  /** "host:pid" */
  readonly name: string;
  readonly cacheDir: string;
  /** Resolves once the worker has stopped. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export function defaultCacheDir(environment: NodeJS.ProcessEnv = process.env): string {
  return path.join(environment.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'hephaestus', 'fleet');
}

export async function startFleetWorker(options: FleetWorkerOptions): Promise<FleetWorker> {
  const { logger } = options;
  const name = `${os.hostname()}:${process.pid}`;
  const cacheDir = path.resolve(options.cacheDir ?? defaultCacheDir());
  const lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
  const commands = await connectRedis(options.redisUrl);
  await warmUpWorker();
  const blocking = await connectRedis(options.redisUrl, { forBullmq: true }).catch(async (error: unknown) => {
    commands.disconnect();
    throw error;
  });
  const llmCache = openRedisLlmCache(options.redisUrl);
  const shutdown = new AbortController();
  const context: WorkerContext = {
    redis: commands,
    cacheDir,
    worker: name,
    lockMs,
    busyRetryMs: options.busyRetryMs ?? DEFAULT_BUSY_RETRY_MS,
    logger,
    signal: AbortSignal.any([options.signal, shutdown.signal]),
    llmCache,
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const worker = new Worker<FleetJobData, FleetJobResult>(QUEUE_NAME, (job, token) => runRepositoryJob(job, token, context), {
    connection: blocking,
    prefix: QUEUE_PREFIX,
    concurrency: options.concurrency,
    lockDuration: lockMs,
    // A dead worker's job is found by the others' stalled-job check and handed on.
    stalledInterval: lockMs,
    maxStalledCount: 2,
  });
  const emit = (event: FleetWorkerEvent) => {
    logger.info({ ...event, worker: name }, event.type);
    options.onEvent?.(event);
  };
  worker.on('active', (job: Job<FleetJobData>) => emit({ type: 'job-active', jobId: job.id ?? '', repositoryId: job.data.repositoryId, attempt: job.attemptsStarted }));
  worker.on('completed', (job: Job<FleetJobData>, result: FleetJobResult) => emit({ type: 'job-completed', jobId: job.id ?? '', repositoryId: job.data.repositoryId, result }));
  worker.on('failed', (job: Job<FleetJobData> | undefined, error: Error) => {
    if (!job) return;
    const willRetry = job.attemptsMade < (job.opts.attempts ?? 1) && error.name !== 'UnrecoverableError';
    emit({ type: 'job-failed', jobId: job.id ?? '', repositoryId: job.data.repositoryId, message: error.message, willRetry });
  });
  worker.on('error', (error) => logger.warn({ err: error }, 'fleet worker error'));
  await worker.waitUntilReady();
  logger.info({ worker: name, redis: redactUrl(options.redisUrl), concurrency: options.concurrency, cacheDir }, 'fleet worker started');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      shutdown.abort(new Error('the worker is shutting down'));
      const errors: unknown[] = [];
      const steps: Array<() => Promise<unknown>> = [() => worker.close(), () => llmCache.close(), () => commands.quit(), () => blocking.quit()];
      for (const step of steps) await step().catch((error: unknown) => errors.push(error));
      for (const error of errors) logger.warn({ err: error }, 'fleet worker cleanup failed');
    })());
  options.signal.addEventListener('abort', () => void close(), { once: true });
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  worker.on('closed', () => resolveClosed());
  return { name, cacheDir, closed, close: () => close().then(() => closed) };
}
