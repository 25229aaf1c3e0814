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
    const [first, second] = await Promise.all(workers.map((cache) => clientFor(llm, {}, { cache: cache.forRun(null) })));
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

describe('the shared llm cache with llm.cache.ttlMs', () => {
  test('stores each reply with a Redis expiry of the run\'s ttlMs; once Redis expires it, the next worker asks the provider again', async () => {
    const shared = [openRedisLlmCache(redisServer.url), openRedisLlmCache(redisServer.url)];
    const [kept, expiring] = await Promise.all([
      clientFor(llm, {}, { cache: shared[0]!.forRun(null) }),
      clientFor(llm, { cache: { ttlMs: 300 } }, { cache: shared[1]!.forRun(300) }),
    ]);
    llm.respondWith((request) => ({ text: `reply ${request.index + 1}` }));
    const keyOf = (cacheKey: string) => `hephaestus:fleet:llm::${cacheKey}`;
    // Redis says when a key expires (keyspace notifications): the test waits for that event, not for time.
    // Connected before it subscribes: ioredis's ready check (INFO) on a connection already in
    // subscriber mode fails, and the reconnect can miss the event.
    const subscriber = new Redis(redisServer.url, { lazyConnect: true });
    await subscriber.connect();
    await redis.config('SET', 'notify-keyspace-events', 'Ex');
    const expired: string[] = [];
    subscriber.on('message', (_channel: string, key: string) => expired.push(key));
    await subscriber.subscribe('__keyevent@0__:expired');

    const forever = await kept!.client.complete(ask('kept question'));
    const short = await expiring!.client.complete(ask('expiring question'));
    const [foreverTtl, shortTtl] = await Promise.all([redis.pttl(keyOf(forever.cacheKey!)), redis.pttl(keyOf(short.cacheKey!))]);
    expect(foreverTtl).toBe(-1);
    expect(shortTtl).toBeGreaterThan(0);
    expect(shortTtl).toBeLessThanOrEqual(300);

    await until(() => expired.includes(keyOf(short.cacheKey!)), 'Redis to expire the entry');
    const again = await kept!.client.complete(ask('expiring question'));
    const stillCached = await expiring!.client.complete(ask('kept question'));
    expect([forever.text, short.text, again.text, again.cached, stillCached.text, stillCached.cached]).toEqual(['reply 1', 'reply 2', 'reply 3', false, 'reply 1', true]);
    expect(llm.requests.length).toBe(3);

    subscriber.disconnect();
    for (const { client } of [kept!, expiring!]) await client.close();
    await Promise.all(shared.map((cache) => cache.close()));
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
