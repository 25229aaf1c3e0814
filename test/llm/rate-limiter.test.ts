// The shared rate limiter, driven by a manual clock: requests per minute through the client
// (times recorded by the fake server on the same clock), tokens per minute, the concurrency
// cap, abort while waiting, and the preset table.
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { RATE_LIMIT_PRESETS, rateLimitsOf } from '../../agent/llm/rate-limit-presets.js';
import { createRateLimiter } from '../../agent/llm/rate-limiter.js';
import { configSchema } from '../../agent/config/schema.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { ask, clientFor, errorOf, until } from './llm-test-kit.js';
import { ManualClock } from './manual-clock.js';

const clock = new ManualClock({ start: 1_000_000 });
const server: FakeLlmServer = await startFakeLlmServer({ clock });
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('through the client', () => {
  test('holds the configured requests per minute: 2 RPM lets 5 calls start at 0, 0, 60 s, 60 s, 120 s', async () => {
    const start = clock.now();
    const limiter = createRateLimiter({ requestsPerMinute: 2, tokensPerMinute: null, maxConcurrent: 10 }, clock);
    const { client } = await clientFor(server, {}, { clock, rateLimiter: limiter });

    let settled = false;
    const all = Promise.all(['a', 'b', 'c', 'd', 'e'].map((text) => client.complete(ask(text)))).finally(() => {
      settled = true;
    });
    while (!settled) {
      await until(() => settled || (clock.pendingSleeps > 0 && limiter.state().active === 0), 'the limiter to wait');
      if (!settled) clock.advanceToNextWake();
    }
    await all;

    expect(server.requests.map((request) => request.time - start)).toEqual([0, 0, 60_000, 60_000, 120_000]);
    await client.close();
    limiter.close();
  });
});

describe('limiter', () => {
  test('caps concurrent calls and hands slots over in FIFO order', async () => {
    const limiter = createRateLimiter({ requestsPerMinute: null, tokensPerMinute: null, maxConcurrent: 2 }, clock);
    const order: string[] = [];
    const first = await limiter.acquire(0);
    await limiter.acquire(0);
    const third = limiter.acquire(0).then((permit) => (order.push('third'), permit));
    const fourth = limiter.acquire(0).then((permit) => (order.push('fourth'), permit));
    await new Promise((resolve) => setImmediate(resolve));
    expect([limiter.state(), order]).toEqual([{ active: 2, waiting: 2 }, []]);

    first.release();
    (await third).release();
    await fourth;
    expect([limiter.state(), order]).toEqual([{ active: 2, waiting: 0 }, ['third', 'fourth']]);
    limiter.close();
  });

  test('holds tokens per minute, counting the actual tokens a call used', async () => {
    const limiter = createRateLimiter({ requestsPerMinute: null, tokensPerMinute: 1_000, maxConcurrent: 10 }, clock);
    const start = clock.now();
    const startedAt: number[] = [];
    const take = async (estimate: number, actual: number) => {
      const permit = await limiter.acquire(estimate);
      startedAt.push(clock.now() - start);
      permit.release(actual);
    };

    await take(600, 300); // the estimate was high; 300 used
    await take(600, 600); // fits in the 700 left
    const third = take(400, 400); // 900 in the window: waits for the first to leave it
    await until(() => clock.pendingSleeps === 1, 'the limiter to wait');
    clock.advanceToNextWake();
    await third;

    expect(startedAt).toEqual([0, 0, 60_000]);
    limiter.close();
  });

  test('a caller aborting while queued gets HEPHAESTUS_ABORTED and frees its place', async () => {
    const limiter = createRateLimiter({ requestsPerMinute: null, tokensPerMinute: null, maxConcurrent: 1 }, clock);
    const held = await limiter.acquire(0);
    const controller = new AbortController();
    const abandoned = errorOf(limiter.acquire(0, controller.signal));
    const next = limiter.acquire(0);
    controller.abort(new Error('cycle cancelled'));

    expect(await abandoned).toMatchObject({ code: 'HEPHAESTUS_ABORTED', message: 'Interrupted: cycle cancelled' });
    held.release();
    await next;
    expect(limiter.state()).toEqual({ active: 1, waiting: 0 });
    limiter.close();
  });
});

describe('presets', () => {
  test('tier sets requests per minute, mode sets concurrency; explicit numbers win', () => {
    const table = Object.fromEntries(Object.entries(RATE_LIMIT_PRESETS).map(([tier, preset]) => [tier, `${preset.requestsPerMinute} RPM, ${Object.values(preset.maxConcurrent).join('/')}`]));
    expect(table).toMatchInlineSnapshot(`
      {
        "tier1": "50 RPM, 3/4/5",
        "tier2": "1000 RPM, 10/15/20",
        "tier3": "2000 RPM, 15/20/30",
        "tier4": "4000 RPM, 20/30/40",
      }
    `);
    const limits = (rateLimit: object) => rateLimitsOf(configSchema.parse({ llm: { rateLimit } }).llm.rateLimit);
    expect(limits({})).toEqual({ requestsPerMinute: 50, tokensPerMinute: null, maxConcurrent: 4 });
    expect(limits({ tier: 'tier3', mode: 'aggressive' })).toEqual({ requestsPerMinute: 2_000, tokensPerMinute: null, maxConcurrent: 30 });
    expect(limits({ tier: 'tier2', requestsPerMinute: 10, tokensPerMinute: 5_000, maxConcurrent: 1 })).toEqual({ requestsPerMinute: 10, tokensPerMinute: 5_000, maxConcurrent: 1 });
  });
});
