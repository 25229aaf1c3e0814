// What workers share through a real redis-server: the `llm` cache (a second worker's identical
// request is answered from it) and the provider's requests-per-minute window (held across both
// workers' limiters, on one manual clock whose times the fake LLM server records).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { openRedisLlmCache } from '../../agent/fleet/redis-llm-cache.js';
import { createRedisRateLimiter } from '../../agent/fleet/redis-rate-limiter.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { ask, clientFor, until } from '../llm/llm-test-kit.js';
import { ManualClock } from '../llm/manual-clock.js';

let redisServer: RedisServer;
let llm: FakeLlmServer;
let redis: Redis;
const clock = new ManualClock({ start: 1_000_000 });

beforeAll(async () => {
  redisServer = await startRedisServer();
  llm = await startFakeLlmServer({ clock });
  redis = new Redis(redisServer.url);
});
afterAll(async () => {
  redis.disconnect();
  await Promise.all([redisServer.stop(), llm.close()]);
});
beforeEach(async () => {
  await redis.flushall();
  llm.reset();
});

describe('the shared llm cache', () => {
  test("serves a second worker's identical request without calling the provider", async () => {
    const workers = [openRedisLlmCache(redisServer.url), openRedisLlmCache(redisServer.url)];
    const [first, second] = await Promise.all(workers.map((cache) => clientFor(llm, {}, { cache })));
    llm.enqueue({ text: 'the one reply' });

    const answered = await first!.client.complete(ask('same question'));
    const cached = await second!.client.complete(ask('same question'));

    expect([answered.text, answered.cached, cached.text, cached.cached]).toEqual(['the one reply', false, 'the one reply', true]);
    expect(llm.requests.length).toBe(1);
    expect(await redis.keys('hephaestus:fleet:llm:*')).toEqual([`hephaestus:fleet:llm::${answered.cacheKey}`]);
    for (const client of [first!.client, second!.client]) await client.close();
    await Promise.all(workers.map((cache) => cache.close()));
  });
});

describe('the shared rate limiter', () => {
  test('holds 2 requests per minute across two workers: 5 calls start at 0, 0, 60 s, 60 s, 120 s', async () => {
    const start = clock.now();
    const limits = { requestsPerMinute: 2, tokensPerMinute: null, maxConcurrent: 10 };
    const limiters = [createRedisRateLimiter(redis, limits, { key: 'test:limit', clock }), createRedisRateLimiter(redis, limits, { key: 'test:limit', clock })];
    const clients = await Promise.all(limiters.map((rateLimiter) => clientFor(llm, { cache: { mode: 'off' } }, { clock, rateLimiter })));
    // Three calls from the first worker, two from the second, all at once.
    const calls = ['a', 'b', 'c', 'd', 'e'].map((text, index) => clients[index < 3 ? 0 : 1]!.client.complete(ask(text)));
    let settled = 0;
    for (const call of calls) void call.finally(() => (settled += 1));
    while (settled < calls.length) {
      // Time moves only once every call still waiting sleeps on the clock.
      await until(() => settled === calls.length || clock.pendingSleeps === calls.length - llm.requests.length, 'the limiters to wait');
      if (settled < calls.length) clock.advanceToNextWake();
      await until(() => settled === llm.requests.length || settled === calls.length, 'the started calls to finish');
    }
    await Promise.all(calls);

    expect(llm.requests.map((request) => request.time - start)).toEqual([0, 0, 60_000, 60_000, 120_000]);
    for (const { client } of clients) await client.close();
    for (const limiter of limiters) limiter.close();
  });

  test('holds tokens per minute across workers, with the actual tokens of a finished request', async () => {
    const start = clock.now();
    const limits = { requestsPerMinute: null, tokensPerMinute: 1_000, maxConcurrent: 10 };
    const [first, second] = [createRedisRateLimiter(redis, limits, { key: 'test:tokens', clock }), createRedisRateLimiter(redis, limits, { key: 'test:tokens', clock })];
    // Estimated 900, used 400: 600 tokens are left in this minute.
    // (The correction goes out on the same connection before the next check: Redis sees it first.)
    (await first!.acquire(900)).release(400);
    const fits = await second!.acquire(600);
    fits.release();
    const waits = second!.acquire(100).then(() => clock.now() - start);
    await until(() => clock.pendingSleeps === 1, 'the second worker to wait');
    expect(clock.sleeps.at(-1)).toBe(60_000);
    clock.advanceToNextWake();
    expect(await waits).toBe(60_000);
    first!.close();
    second!.close();
  });
});
