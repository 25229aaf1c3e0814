// A repository added by URL: the worker clones it into its cache, runs the cycles, pushes the
// evolution branch under the lease, and the next run (fetching into the same clone) continues
// on top of what the remote has. An in-process worker on a real redis-server.
import path from 'node:path';
import pino from 'pino';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGit } from '../../agent/git/git-environment.js';
import { addRepository } from '../../agent/fleet/add-repository.js';
import { openFleetQueue, type FleetQueue } from '../../agent/fleet/fleet-queue.js';
import type { FleetReport } from '../../agent/fleet/fleet-reports.js';
import { startFleetWorker, type FleetWorker } from '../../agent/fleet/start-fleet-worker.js';
import { TEST_API_KEY } from '../cycle/cycle-kit.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { makeTempDir, type TempRepo } from '../support/temp-repo.js';
import { BRANCH, makeFleetProject, scriptReadmeLines, waitForRepositoryReports } from './fleet-kit.js';

let redisServer: RedisServer;
let llm: FakeLlmServer;
let redis: Redis;
let queue: FleetQueue;
let worker: FleetWorker;
let project: TempRepo;

beforeAll(async () => {
  process.env.OPENAI_API_KEY = TEST_API_KEY;
  [redisServer, llm] = await Promise.all([startRedisServer(), startFakeLlmServer()]);
  redis = new Redis(redisServer.url);
  queue = openFleetQueue(redis);
});
afterAll(async () => {
  await worker?.close();
  await queue.close();
  redis.disconnect();
  await Promise.all([redisServer.stop(), llm.close()]);
  await project?.remove();
});

const commitsOf = (reports: FleetReport[]) => reports.flatMap((report) => (report.type === 'cycle' && report.record.commit !== null ? [report.record.commit] : []));

describe('a repository added by URL', () => {
  it('is cloned, evolved and pushed under the lease; the next run continues from the remote', { timeout: 180_000 }, async () => {
    scriptReadmeLines(llm);
    project = await makeFleetProject(llm);
    const dir = await makeTempDir('hephaestus-fleet-remote-');
    const origin = path.join(dir, 'origin.git');
    await runGit(dir, ['init', '-q', '--bare', '-b', 'main', origin]);
    await project.git('push', '-q', origin, 'main');
    const url = `file://${origin}`;
    worker = await startFleetWorker({ redisUrl: redisServer.url, concurrency: 1, cacheDir: path.join(dir, 'cache'), logger: pino({ level: 'silent' }), signal: new AbortController().signal });

    const { entry } = await addRepository(redis, queue, { repo: url, cycles: 2 });
    expect([entry.kind, entry.location]).toEqual(['url', url]);
    const firstRun = await waitForRepositoryReports(redisServer.url, entry.id, (seen) => seen.some((report) => report.type === 'run-finished'));
    const originLog = async () => (await runGit(origin, ['log', '--reverse', '--format=%H', `main..${BRANCH}`])).stdout.split('\n');
    expect(await originLog()).toEqual(commitsOf(firstRun));
    expect(firstRun.find((report) => report.type === 'run-finished')).toMatchObject({ committed: 2, pushed: commitsOf(firstRun)[1] });

    await addRepository(redis, queue, { repo: url, cycles: 1 });
    const bothRuns = await waitForRepositoryReports(redisServer.url, entry.id, (seen) => seen.filter((report) => report.type === 'run-finished').length === 2);
    // Three commits, the third on top of the first run's, all on the remote; the user's repository is untouched.
    expect(commitsOf(bothRuns).length).toBe(3);
    expect(await originLog()).toEqual(commitsOf(bothRuns));
    expect((await runGit(project.root, ['rev-parse', '--verify', '-q', BRANCH], { allowFailure: true })).exitCode).not.toBe(0);
  });
});
