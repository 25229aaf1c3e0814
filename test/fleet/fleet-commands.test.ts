// `fleet add|list|remove|status` against a real redis-server: what they record and print, the
// schedule as a BullMQ job scheduler, and a clear error for every bad input.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openFleetQueue, type FleetQueue } from '../../agent/fleet/fleet-queue.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { makeTempDir, makeTempRepo, type TempRepo } from '../support/temp-repo.js';
import { runFleetCli } from './fleet-kit.js';

let server: RedisServer;
let redis: Redis;
let queue: FleetQueue;
let repo: TempRepo;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
  queue = openFleetQueue(redis);
  repo = await makeTempRepo({ 'README.md': '# Widget\n' });
});
afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await server.stop();
  await repo.remove();
});
beforeEach(async () => {
  await redis.flushall();
});

const fleet = (...args: string[]) => runFleetCli(['fleet', ...args, '--redis', server.url]);

describe('fleet add, list, remove', () => {
  it('adds a local repository, queues one run of N cycles, lists it and removes it with its queued run', async () => {
    const added = await fleet('add', '--repo', repo.root, '--cycles', '3', '--json');
    expect(added.exitCode).toBe(0);
    const entry = JSON.parse(added.stdout);
    expect(entry).toMatchObject({ kind: 'path', location: repo.root, cycles: 3, schedule: null, config: null, jobId: '1' });
    expect(entry.id).toMatch(/^hephaestus-repo-[a-z0-9]+-[0-9a-f]{6}$/);
    const [job] = await queue.getJobs(['waiting']);
    expect(job?.data).toEqual({ repositoryId: entry.id, cycles: 3 });

    const listed = await fleet('list', '--json');
    expect(JSON.parse(listed.stdout).map((repository: { id: string }) => repository.id)).toEqual([entry.id]);
    const status = await fleet('status', entry.id, '--json');
    expect(JSON.parse(status.stdout)).toEqual([
      { repository: { ...entry, jobId: undefined }, jobs: { waiting: 1, active: 0, delayed: 0, nextScheduledAt: null }, runningOn: null, lastRun: null, lastCycles: [] },
    ].map((expected) => JSON.parse(JSON.stringify(expected))));

    const removed = await fleet('remove', entry.id);
    expect([removed.exitCode, removed.stdout]).toEqual([0, `Removed ${entry.id} (${repo.root}) from the fleet; 1 queued run(s) dropped. A run in progress finishes.`]);
    expect(await queue.getWaitingCount()).toBe(0);
    expect((await fleet('list')).stdout).toBe('The fleet is empty. Add a repository with: hephaestus fleet add --repo URL|PATH');
  });

  it('with --schedule creates a job scheduler instead of a run, and carries the --config file', async () => {
    const dir = await makeTempDir();
    const configFile = `${dir}/fleet.config.json`;
    await (await import('node:fs/promises')).writeFile(configFile, '{ "llm": { "provider": "offline" } }\n');
    const added = await fleet('add', '--repo', repo.root, '--schedule', '0 3 * * *', '--config', configFile, '--json');
    expect(added.exitCode).toBe(0);
    const entry = JSON.parse(added.stdout);
    expect([entry.schedule, entry.config, entry.jobId]).toEqual(['0 3 * * *', configFile, null]);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((scheduler) => [scheduler.key, scheduler.pattern])).toEqual([[entry.id, '0 3 * * *']]);
    expect(new Date(schedulers[0]!.next!).getUTCMinutes()).toBe(0);

    const text = await fleet('status');
    expect(text.stdout.split('\n').slice(0, 2)).toEqual([
      `${entry.id}  ${repo.root}  (1 cycle(s) per run, schedule "0 3 * * *")`,
      `  jobs: 0 waiting, 0 running, 1 delayed; next scheduled run ${new Date(schedulers[0]!.next!).toISOString()}`,
    ]);
    await fleet('remove', entry.id);
    expect(await queue.getJobSchedulers()).toEqual([]);
  });
});

describe('bad input', () => {
  it('names the problem and exits 2 (usage) or 1 (Redis unreachable)', async () => {
    const cases = [
      await runFleetCli(['fleet', 'list', '--redis', 'http://127.0.0.1:6379']),
      await runFleetCli(['fleet', 'list', '--redis', 'not a url']),
      await runFleetCli(['fleet', 'list', '--redis', 'redis://127.0.0.1:1']),
      await fleet('remove', 'widget-000000'),
      await fleet('status', 'widget-000000'),
      await fleet('add', '--repo', repo.root, '--schedule', '61 * * * *'),
      await fleet('add', '--repo', repo.root, '--schedule', 'daily'),
      await fleet('add', '--repo', '/nonexistent/repository'),
      await fleet('add', '--repo', 'file:///nonexistent/repository.git'),
      await fleet('add', '--repo', repo.root, '--config', '/nonexistent/config.json'),
    ];
    expect(cases.map((result) => [result.exitCode, result.stderr])).toEqual([
      [2, 'hephaestus: --redis "http://127.0.0.1:6379" is a http URL; expected redis://HOST:PORT or rediss://HOST:PORT.'],
      [2, 'hephaestus: --redis "not a url" is not a URL; expected e.g. redis://127.0.0.1:6379 (or rediss:// for TLS).'],
      [1, 'hephaestus: cannot reach Redis at redis://127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1). Start one with "redis-server --port 6379" (Debian: apt-get install redis-server) and pass --redis redis://127.0.0.1:6379.'],
      [2, 'hephaestus: no repository "widget-000000" in the fleet; the fleet is empty (add one with "hephaestus fleet add --repo URL|PATH").'],
      [2, 'hephaestus: no repository "widget-000000" in the fleet; the fleet is empty (add one with "hephaestus fleet add --repo URL|PATH").'],
      [2, 'hephaestus: --schedule "61 * * * *" is not a valid cron pattern (Constraint error, got value 61 expected range 0-59); e.g. "0 3 * * *" runs at 03:00 daily.'],
      [2, 'hephaestus: --schedule "daily" has 1 field(s); a cron pattern has 5 ("minute hour day month weekday", e.g. "0 3 * * *" for 03:00 daily) or 6 with seconds first.'],
      [2, 'hephaestus: --repo /nonexistent/repository: /nonexistent/repository: no such directory. Check the --repo path.'],
      [2, expect.stringMatching(/^hephaestus: --repo file:\/\/\/nonexistent\/repository\.git: git cannot read this repository \(.+\)\. Check the URL and that this machine can fetch it\.$/)],
      [2, 'hephaestus: --config /nonexistent/config.json: no such file.'],
    ]);
  });

  it('without --redis or HEPHAESTUS_REDIS_URL says how to give one', async () => {
    const saved = process.env.HEPHAESTUS_REDIS_URL;
    delete process.env.HEPHAESTUS_REDIS_URL;
    try {
      const result = await runFleetCli(['fleet', 'list']);
      expect([result.exitCode, result.stderr]).toEqual([
        2,
        'hephaestus: no Redis given: pass --redis redis://HOST:PORT or set HEPHAESTUS_REDIS_URL. Start one with "redis-server --port 6379" (Debian: apt-get install redis-server) and pass --redis redis://127.0.0.1:6379.',
      ]);
    } finally {
      if (saved !== undefined) process.env.HEPHAESTUS_REDIS_URL = saved;
    }
  });
});
