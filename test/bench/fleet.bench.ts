// Fleet throughput: the same 4 repositories × 2 cycles, served by 1 and then 2 `hephaestus
// worker` processes on a real redis-server, planned by the fake LLM server with a fixed latency
// per Architect reply, in two rounds (1, 2, 1, 2) so a change in the machine's load hits both
// sides. Figures: wall time of each, the ratio (target >= 1.8x), the queue's overhead per job
// (job added → its run started on a free worker), and what explains the rest on a shared machine:
// the workers' CPU time per job, the time they waited for a core, the machine's idle share.
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { addRepository } from '../../agent/fleet/add-repository.js';
import { openFleetQueue } from '../../agent/fleet/fleet-queue.js';
import type { FleetReport } from '../../agent/fleet/fleet-reports.js';
import { makeFleetProject, scriptReadmeLines, startWorkerProcess, stopWorker, waitForRepositoryReports } from '../fleet/fleet-kit.js';
import { startFakeLlmServer } from '../support/fake-llm-server.js';
import { startRedisServer } from '../support/redis-server.js';
import { makeTempDir, type TempRepo } from '../support/temp-repo.js';
import { median, type Benchmark, type BenchRow } from './bench-kit.js';
import { idlePercent, machineTimes, processUsage, usageBetween, type ProcessUsage } from './process-usage.js';

const REPOSITORIES = 4;
const CYCLES = 2;
const REPLY_LATENCY_MS = 1_500;
const ROUNDS = 2;

interface Measurement {
  wallMs: number;
  overheadMs: number;
  idlePercent: number | null;
  /** Summed over the workers, per job. */
  perJob: ProcessUsage | null;
}

const benchmark: Benchmark = {
  name: 'fleet',
  async run() {
    const [redisServer, llm] = await Promise.all([startRedisServer(), startFakeLlmServer()]);
    const redis = new Redis(redisServer.url);
    const queue = openFleetQueue(redis);
    const repositories: TempRepo[] = [];
    const loadAtStart = os.loadavg()[0]!;
    let run = 0;
    try {
      scriptReadmeLines(llm, REPLY_LATENCY_MS);
      const measure = async (workerCount: number): Promise<Measurement> => {
        run += 1;
        await redis.flushall();
        const cacheRoot = await makeTempDir('hephaestus-fleet-bench-');
        const workers = Array.from({ length: workerCount }, (_, index) => startWorkerProcess(redisServer.url, path.join(cacheRoot, `worker-${index}`)));
        try {
          await Promise.all(workers.map((worker) => worker.waitForLine(/waiting for fleet jobs/)));
          const fresh: TempRepo[] = [];
          for (let index = 0; index < REPOSITORIES; index += 1) {
            const repository = await makeFleetProject(llm);
            // A different export per repository: its manifest, hence every prompt, differs, so no
            // request is answered from the shared llm cache (the README is not in the prompts).
            await repository.write('src/name.js', `export const repositoryName = 'repository-${run}-${index}';\n`);
            await repository.commitAll('name it');
            fresh.push(repository);
          }
          repositories.push(...fresh);
          const usageBefore = await Promise.all(workers.map((worker) => processUsage(worker.child.pid!)));
          const machineBefore = await machineTimes();
          const started = performance.now();
          const added = [];
          for (const repository of fresh) added.push({ at: Date.now(), ...(await addRepository(redis, queue, { repo: repository.root, cycles: CYCLES })) });
          const reports = await Promise.all(added.map(({ entry }) => waitForRepositoryReports(redisServer.url, entry.id, (seen) => seen.some((report) => report.type === 'run-finished'))));
          const wallMs = performance.now() - started;
          const machineAfter = await machineTimes();
          const usages = await Promise.all(workers.map(async (worker, index) => usageBetween(usageBefore[index]!, await processUsage(worker.child.pid!))));
          const startOf = (seen: FleetReport[]) => seen.find((report) => report.type === 'run-started')!.at;
          // Jobs that found every worker free: the first `workerCount` of them.
          const overheads = added.slice(0, workerCount).map(({ at }, index) => startOf(reports[index]!) - at);
          const perJob = usages.every((usage) => usage !== null)
            ? { cpuMs: usages.reduce((sum, usage) => sum + usage!.cpuMs, 0) / REPOSITORIES, runQueueMs: usages.reduce((sum, usage) => sum + usage!.runQueueMs, 0) / REPOSITORIES }
            : null;
          return { wallMs, overheadMs: median(overheads), idlePercent: idlePercent(machineBefore, machineAfter), perJob };
        } finally {
          await Promise.all(workers.map(stopWorker));
        }
      };
      const rounds: Array<{ one: Measurement; two: Measurement }> = [];
      for (let round = 0; round < ROUNDS; round += 1) rounds.push({ one: await measure(1), two: await measure(2) });
      return summarise(rounds, loadAtStart);
    } finally {
      await queue.close();
      redis.disconnect();
      await Promise.all([redisServer.stop(), llm.close()]);
      await Promise.all(repositories.map((repository) => repository.remove()));
    }
  },
};

function summarise(rounds: Array<{ one: Measurement; two: Measurement }>, loadAtStart: number): BenchRow[] {
  const rows: BenchRow[] = [{ metric: `load average (1 min) at start, ${os.cpus().length} cores`, value: loadAtStart, unit: 'count' }];
  for (const [index, { one, two }] of rounds.entries()) {
    rows.push(
      { metric: `round ${index + 1}: 1 worker, ${REPOSITORIES} repos x ${CYCLES} cycles (reply latency ${REPLY_LATENCY_MS} ms)`, value: one.wallMs, unit: 'ms' },
      { metric: `round ${index + 1}: 2 workers, same jobs`, value: two.wallMs, unit: 'ms' },
      { metric: `round ${index + 1}: 2 workers / 1 worker`, value: one.wallMs / two.wallMs, unit: 'x' },
    );
  }
  const sum = (pick: (round: { one: Measurement; two: Measurement }) => number) => rounds.reduce((total, round) => total + pick(round), 0);
  const ratio = sum((round) => round.one.wallMs) / sum((round) => round.two.wallMs);
  rows.push(
    { metric: 'throughput 2 workers / 1 worker (all rounds)', value: ratio, unit: 'x', target: '>= 1.8x', met: ratio >= 1.8 },
    { metric: 'queue overhead per job (added → run started)', value: median(rounds.flatMap((round) => [round.one.overheadMs, round.two.overheadMs])), unit: 'ms' },
  );
  for (const side of ['one', 'two'] as const) {
    const label = side === 'one' ? '1 worker' : '2 workers';
    const measurements = rounds.map((round) => round[side]);
    const idle = measurements.map((measurement) => measurement.idlePercent).filter((value): value is number => value !== null);
    const perJob = measurements.map((measurement) => measurement.perJob).filter((value): value is ProcessUsage => value !== null);
    if (idle.length > 0) rows.push({ metric: `${label}: machine CPU idle during the run`, value: median(idle), unit: '%' });
    if (perJob.length > 0) {
      rows.push(
        { metric: `${label}: worker CPU per job (with git children)`, value: median(perJob.map((usage) => usage.cpuMs)), unit: 'ms' },
        { metric: `${label}: worker waited for a core per job`, value: median(perJob.map((usage) => usage.runQueueMs)), unit: 'ms' },
      );
    }
  }
  return rows;
}

export default benchmark;
