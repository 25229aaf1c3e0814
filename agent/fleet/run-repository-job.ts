// What a worker does with one job: take the repository's fleet-wide lock (or put the job back
// for later), prepare the workspace, run the cycles still owed through the public API, push
// the evolution branch under its lease (URL) or leave it promoted in place (path), and report
// the run and every cycle record to the repository's stream.
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { startCiRun } from '../ci/ci-run.js';
import { createAgent } from '../create-agent.js';
import type { CycleRecord } from '../cycle/cycle-record.js';
import { isHephaestusError } from '../core/errors.js';
import { loadConfig } from '../config/load-config.js';
import type { Clock } from '../core/clock.js';
import { rateLimitsOf } from '../llm/rate-limit-presets.js';
import { UnknownRepositoryError } from './fleet-errors.js';
import { RATE_LIMIT_KEY } from './fleet-keys.js';
import type { FleetJobData } from './fleet-queue.js';
import { appendReport, type FleetReport, type ReportContent } from './fleet-reports.js';
import { getRepository } from './fleet-repositories.js';
import { dropLocalBranch, prepareWorkspace } from './prepare-workspace.js';
import type { SharedLlmCache } from './redis-llm-cache.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';
import { acquireRepositoryLock } from './repository-lock.js';

export interface WorkerContext {
  redis: Redis;
  /** This worker's clones and config files. */
  cacheDir: string;
  /** How others see this worker ("host:pid"). */
  worker: string;
  /** Time to live of the repository lock (and the job's lock): how soon a dead worker's job moves on. */
  lockMs: number;
  /** How long a job waits when its repository is busy on another worker. */
  busyRetryMs: number;
  logger: Logger;
  /** Aborted on shutdown: the current step ends, the job goes back to the queue. */
  signal: AbortSignal;
  /** The `llm` cache shared by the fleet (each run with its config's ttlMs); null: each repository's own. */
  llmCache: SharedLlmCache | null;
  /** For the fleet-wide rate limiter (default: the system clock). */
  clock?: Clock;
}

export interface FleetJobResult {
  committed: number;
  cycles: number;
  stopReason: string | null;
  /** The tip pushed to the remote (URL repositories), else null. */
  pushed: string | null;
}

/** Failures a retry would meet again: the job fails at once. */
const UNRECOVERABLE_CODES = new Set(['HEPHAESTUS_CONFIG_INVALID', 'HEPHAESTUS_REPO_UNUSABLE', 'FLEET_REPOSITORY_UNKNOWN', 'HEPHAESTUS_USAGE']);

interface Progress {
  cyclesDone: number;
}

export async function runRepositoryJob(job: Job<FleetJobData, FleetJobResult>, token: string | undefined, context: WorkerContext): Promise<FleetJobResult> {
  const { redis, logger } = context;
  const { repositoryId } = job.data;
  const entry = await getRepository(redis, repositoryId).catch((error: unknown) => {
    throw error instanceof UnknownRepositoryError ? new UnrecoverableError(`${error.message} It was removed from the fleet after this job was queued.`) : error;
  });
  const lock = await acquireRepositoryLock(redis, repositoryId, { owner: context.worker, ttlMs: context.lockMs });
  if (lock === null) {
    logger.debug({ repositoryId, jobId: job.id }, 'repository busy on another worker; job delayed');
    await job.moveToDelayed(Date.now() + context.busyRetryMs, token);
    throw new DelayedError();
  }
  const base = { jobId: job.id ?? '', attempt: job.attemptsStarted, worker: context.worker };
  const report = (fields: ReportContent) => appendReport(redis, repositoryId, { ...base, at: Date.now(), ...fields } as FleetReport);
  try {
    // Cycles done by an earlier attempt (a worker that died) are not run again.
    let done = progressOf(job.progress).cyclesDone;
    const remaining = job.data.cycles - done;
    await report({ type: 'run-started', cycles: remaining });
    const signal = AbortSignal.any([context.signal, lock.lost]);
    const workspace = await prepareWorkspace(entry, context.cacheDir, signal);
    // Reported in order as each cycle ends; progress first, so a reader that sees the record
    // knows a retry will not run that cycle again.
    let reporting = Promise.resolve();
    const onCycle = (record: CycleRecord) => {
      reporting = reporting.then(async () => {
        if (record.reason !== 'ABORTED') await job.updateProgress({ cyclesDone: (done += 1) } satisfies Progress);
        await report({ type: 'cycle', record });
      });
    };
    // The provider's limits hold across the fleet: every worker calling the same endpoint shares one window.
    const { config, apiKeys } = await loadConfig({ repoRoot: workspace.repoRoot, configPath: workspace.configFile });
    const rateLimiter = createRedisRateLimiter(redis, rateLimitsOf(config.llm.rateLimit), {
      key: `${RATE_LIMIT_KEY}:${config.llm.provider}:${config.llm.baseUrl ?? 'default'}`,
      ...(context.clock ? { clock: context.clock } : {}),
    });
    const agent = await createAgent({
      onEvent: (event) => {
        if (event.type === 'cycle-end') onCycle(event.record);
      },
      repoRoot: workspace.repoRoot,
      // Read once above: the agent does not read the file again.
      config,
      apiKeys,
      logger,
      signal,
      command: `fleet worker ${context.worker}`,
      ...(context.llmCache ? { llmCache: context.llmCache.forRun(config.llm.cache.ttlMs) } : {}),
      rateLimiter,
    }).catch((error: unknown) => {
      rateLimiter.close();
      throw error;
    });
    let result: FleetJobResult;
    try {
      const { branch } = agent.config.git;
      if (entry.kind === 'url') await dropLocalBranch(agent.repoRoot, branch, signal);
      const ci = entry.kind === 'url'
        ? await startCiRun({ repoRoot: agent.repoRoot, stateDir: agent.stateDir, config: { ...agent.config, git: { ...agent.config.git, remote: 'origin' } }, push: true, pullRequest: false, limitRun: false, logger, signal })
        : null;
      const summary = await agent.runCycles({ cycles: remaining, ...(ci?.afterCycle ? { afterCycle: ci.afterCycle } : {}) });
      await reporting;
      if (signal.aborted) {
        await report({ type: 'run-released', reason: context.signal.aborted ? 'the worker is shutting down' : 'the repository lock was lost' });
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      const pushed = ci ? await ci.finish(summary.cycles, summary.stopReason) : null;
      result = { committed: summary.committed, cycles: summary.cycles.length, stopReason: summary.stopReason, pushed: pushed?.remote?.pushed ? pushed.remote.tip : null };
    } finally {
      await agent.close();
      rateLimiter.close();
    }
    await report({ type: 'run-finished', committed: result.committed, stopReason: result.stopReason, pushed: result.pushed });
    return result;
  } catch (error) {
    if (error instanceof DelayedError) throw error;
    const code = isHephaestusError(error) ? error.code : 'UNEXPECTED';
    await report({ type: 'run-failed', code, message: (error as Error).message }).catch(() => undefined);
    if (isHephaestusError(error) && UNRECOVERABLE_CODES.has(error.code)) throw new UnrecoverableError(`${error.code}: ${error.message}`);
    throw error;
  } finally {
    await lock.release().catch((error: unknown) => logger.warn({ err: error, repositoryId }, 'could not release the repository lock; it expires by itself'));
  }
}

function progressOf(progress: unknown): Progress {
  const done = (progress as Partial<Progress> | null)?.cyclesDone;
  return { cyclesDone: typeof done === 'number' && Number.isInteger(done) && done >= 0 ? done : 0 };
}
