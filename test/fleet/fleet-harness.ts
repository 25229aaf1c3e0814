// The set-up the worker tests share, registered as vitest hooks: one real redis-server and one
// fake LLM server for the file, Redis flushed and workers stopped after each test, repositories
// removed at the end.
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { addRepository } from '../../agent/fleet/add-repository.js';
import { openFleetQueue, type FleetQueue } from '../../agent/fleet/fleet-queue.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { makeTempDir, type TempRepo } from '../support/temp-repo.js';
import { makeFleetProject, scriptReadmeLines, startWorkerProcess, stopWorker, waitForRepositoryReports, type WorkerProcess } from './fleet-kit.js';

export interface FleetHarness {
  readonly redisServer: RedisServer;
  readonly llm: FakeLlmServer;
  /** A connection of the test's own. */
  readonly redis: Redis;
  readonly queue: FleetQueue;
  /** Removed after the file's tests. */
  readonly repositories: TempRepo[];
  /** `hephaestus worker` processes, each with its own cache directory, once they wait for jobs. */
  startWorkers(count: number): Promise<WorkerProcess[]>;
}

export function useFleetHarness(): FleetHarness {
  let servers: { redisServer: RedisServer; llm: FakeLlmServer; redis: Redis; queue: FleetQueue } | undefined;
  const repositories: TempRepo[] = [];
  let workers: WorkerProcess[] = [];
  const started = () => {
    if (servers === undefined) throw new Error('the fleet harness is used before its beforeAll hook ran');
    return servers;
  };
  beforeAll(async () => {
    const [redisServer, llm] = await Promise.all([startRedisServer(), startFakeLlmServer()]);
    const redis = new Redis(redisServer.url);
    servers = { redisServer, llm, redis, queue: openFleetQueue(redis) };
  });
  afterEach(async () => {
    await Promise.all(workers.map(stopWorker));
    workers = [];
    await started().redis.flushall();
    started().llm.reset();
  });
  afterAll(async () => {
    const { redisServer, llm, redis, queue } = started();
    await queue.close();
    redis.disconnect();
    await Promise.all([redisServer.stop(), llm.close()]);
    await Promise.all(repositories.map((repository) => repository.remove()));
  });
  return {
    get redisServer() {
      return started().redisServer;
    },
    get llm() {
      return started().llm;
    },
    get redis() {
      return started().redis;
    },
    get queue() {
      return started().queue;
    },
    repositories,
    async startWorkers(count) {
      const cacheRoot = await makeTempDir('hephaestus-fleet-cache-');
      const url = started().redisServer.url;
      workers = Array.from({ length: count }, (_, index) => startWorkerProcess(url, path.join(cacheRoot, `worker-${index}`)));
      await Promise.all(workers.map((worker) => worker.waitForLine(/waiting for fleet jobs/)));
      return workers;
    },
  };
}

/** One repository's three-cycle job on two workers, once its first cycle is reported: which
 *  worker runs it (`runner`, named in the reports as `runnerName`). Replies take `replyLatencyMs`,
 *  so the job is still running when this returns. */
export async function jobUnderWay(fleet: FleetHarness, replyLatencyMs: number) {
  const { redisServer, llm, redis, queue, repositories } = fleet;
  scriptReadmeLines(llm, replyLatencyMs);
  const repository = await makeFleetProject(llm);
  repositories.push(repository);
  const { entry, jobId } = await addRepository(redis, queue, { repo: repository.root, cycles: 3 });
  const workers = await fleet.startWorkers(2);
  const firstCycle = await waitForRepositoryReports(redisServer.url, entry.id, (seen) => seen.some((report) => report.type === 'cycle'));
  const runnerName = firstCycle.find((report) => report.type === 'run-started')!.worker;
  const runner = workers.find((worker) => runnerName.endsWith(`:${worker.child.pid}`))!;
  return { repository, entry, jobId, runner, runnerName };
}
