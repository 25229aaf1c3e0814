// `hephaestus worker`: runs fleet jobs from Redis until SIGINT/SIGTERM; then the running cycle
// ends, its job goes back to the queue for another worker, and the command exits 0.
import { createLogger } from '../../logging/create-logger.js';
import type { LogLevel } from '../../config/log-levels.js';
import { collectSecrets } from '../../logging/redact-secrets.js';
import { redactUrl, resolveRedisUrl } from '../../fleet/redis-connection.js';
import { startFleetWorker, type FleetWorkerEvent } from '../../fleet/start-fleet-worker.js';
import type { CliRuntime } from '../cli-runtime.js';

export interface WorkerCommandOptions {
  redis?: string;
  concurrency?: number;
  cacheDir?: string;
  lockMs?: number;
  logLevel?: LogLevel;
}

export async function runWorkerCommand(options: WorkerCommandOptions, runtime: CliRuntime): Promise<number> {
  const redisUrl = resolveRedisUrl(options.redis);
  const log = createLogger({ level: options.logLevel ?? 'info', stateDir: null, console: 'json', consoleLevel: options.logLevel ?? 'warn', secrets: collectSecrets(process.env) });
  runtime.loggers.add(log);
  const worker = await startFleetWorker({
    redisUrl,
    concurrency: options.concurrency ?? 1,
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
    ...(options.lockMs !== undefined ? { lockMs: options.lockMs } : {}),
    logger: log.logger,
    signal: runtime.signal,
    onEvent: (event) => runtime.io.out(describeEvent(event)),
  });
  runtime.io.out(`Worker ${worker.name} waiting for fleet jobs on ${redactUrl(redisUrl)} (concurrency ${options.concurrency ?? 1}, cache ${worker.cacheDir}). Stop it with Ctrl-C or SIGTERM.`);
  await worker.closed;
  runtime.io.out(`Worker ${worker.name} stopped.`);
  return 0;
}

function describeEvent(event: FleetWorkerEvent): string {
  switch (event.type) {
    case 'job-active':
      return `job ${event.jobId} ${event.repositoryId}: started (attempt ${event.attempt})`;
    case 'job-completed':
      return `job ${event.jobId} ${event.repositoryId}: ${event.result.cycles} cycle(s), ${event.result.committed} committed${event.result.pushed === null ? '' : `, pushed ${event.result.pushed.slice(0, 12)}`}`;
    case 'job-failed':
      return `job ${event.jobId} ${event.repositoryId}: failed (${event.message.split('\n')[0]})${event.willRetry ? '; it will be retried' : ''}`;
  }
}
