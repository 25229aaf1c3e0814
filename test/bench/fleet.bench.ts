// Fleet throughput: the same 4 repositories × 2 cycles, served by 1 and then 2 `hephaestus
// worker` processes on a real redis-server, planned by the fake LLM server with a fixed latency
// per reply. Figures: wall time of each, the ratio (target >= 1.8x), and the queue's overhead
// per job (job added → its run started on a worker, while a worker is free).
import path from 'node:path';
import { Redis } from 'ioredis';
import { addRepository } from '../../agent/fleet/add-repository.js';
import { openFleetQueue } from '../../agent/fleet/fleet-queue.js';
import type { FleetReport } from '../../agent/fleet/fleet-reports.js';
import { makeFleetProject, scriptReadmeLines, startWorkerProcess, stopWorker, waitForRepositoryReports } from '../fleet/fleet-kit.js';
import { startFakeLlmServer } from '../support/fake-llm-server.js';
import { startRedisServer } from '../support/redis-server.js';
import { makeTempDir, type TempRepo } from '../support/temp-repo.js';
import { median, type Benchmark } from './bench-kit.js';

const REPOSITORIES = 4;
const CYCLES = 2;
const REPLY_LATENCY_MS = 1_500;

const benchmark: Benchmark = {
  name: 'fleet',
  async run() {
    const [redisServer, llm] = await Promise.all([startRedisServer(), startFakeLlmServer()]);
    const redis = new Redis(redisServer.url);
    const queue = openFleetQueue(redis);
    const repositories: TempRepo[] = [];
    try {
      scriptReadmeLines(llm, REPLY_LATENCY_MS);
      const measure = async (workerCount: number) => {
        await redis.flushall();
        const cacheRoot = await makeTempDir('hephaestus-fleet-bench-');
        const workers = Array.from({ length: workerCount }, (_, index) => startWorkerProcess(redisServer.url, path.join(cacheRoot, `worker-${index}`)));
        try {
          await Promise.all(workers.map((worker) => worker.waitForLine(/waiting for fleet jobs/)));
          const fresh: TempRepo[] = [];
          for (let index = 0; index < REPOSITORIES; index += 1) {
            const repository = await makeFleetProject(llm);
            // Different content per repository: no request is answered from the shared cache.
            await repository.write('README.md', `# Repository ${workerCount}-${index}\n`);
            await repository.commitAll('name it');
            fresh.push(repository);
          }
          repositories.push(...fresh);
          const started = performance.now();
          const added = [];
          for (const repository of fresh) added.push({ at: Date.now(), ...(await addRepository(redis, queue, { repo: repository.root, cycles: CYCLES })) });
          const reports = await Promise.all(added.map(({ entry }) => waitForRepositoryReports(redisServer.url, entry.id, (seen) => seen.some((report) => report.type === 'run-finished'))));
          const wallMs = performance.now() - started;
          const startOf = (seen: FleetReport[]) => seen.find((report) => report.type === 'run-started')!.at;
          // Jobs that found every worker free: the first `workerCount` of them.
          const overheads = added.slice(0, workerCount).map(({ at }, index) => startOf(reports[index]!) - at);
          return { wallMs, overheadMs: median(overheads) };
        } finally {
          await Promise.all(workers.map(stopWorker));
        }
      };
      const one = await measure(1);
      const two = await measure(2);
      const ratio = one.wallMs / two.wallMs;
      return [
        { metric: `1 worker, ${REPOSITORIES} repos x ${CYCLES} cycles (reply latency ${REPLY_LATENCY_MS} ms)`, value: one.wallMs, unit: 'ms' },
        { metric: `2 workers, same jobs`, value: two.wallMs, unit: 'ms' },
        { metric: 'throughput 2 workers / 1 worker', value: ratio, unit: 'x', target: '>= 1.8x', met: ratio >= 1.8 },
        { metric: 'queue overhead per job (added → run started)', value: median([one.overheadMs, two.overheadMs]), unit: 'ms' },
      ];
    } finally {
      await queue.close();
      redis.disconnect();
      await Promise.all([redisServer.stop(), llm.close()]);
      await Promise.all(repositories.map((repository) => repository.remove()));
    }
  },
};

export default benchmark;
