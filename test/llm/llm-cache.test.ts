// The persistent LLM cache on a real SQLite file: replies survive the client and the process,
// concurrent identical calls share one request, modes, eviction, statistics, and no secret
// ever reaches the log file or the cache file.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readCacheStats } from '../../agent/cache/cache-stats.js';
import { cacheFileOf } from '../../agent/cache/open-cache.js';
import { createLogger } from '../../agent/logging/create-logger.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { makeTempDir } from '../support/temp-repo.js';
import { ask, clientFor, errorOf, TEST_KEY, type LlmInput } from './llm-test-kit.js';

const server: FakeLlmServer = await startFakeLlmServer();
afterAll(() => server.close());

let stateDir: string;
beforeEach(async () => {
  server.reset();
  stateDir = await makeTempDir('hephaestus-llm-cache-');
});
afterEach(() => rm(stateDir, { recursive: true, force: true }));

const cachedClient = (llm: LlmInput = {}) => clientFor(server, llm, { stateDir });

describe('persistent cache', () => {
  test('serves a reply from cache after the client is recreated, and after a new process starts', async () => {
    const first = await cachedClient();
    server.enqueue({ text: 'the plan' });
    const stored = await first.client.complete(ask('plan something'));
    await first.client.close();

    const second = await cachedClient();
    const reused = await second.client.complete(ask('plan something'));
    await second.client.close();

    const child = await execa(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'complete-once-child.ts'), stateDir, server.openaiBaseUrl, 'plan something']);

    expect([stored.cached, stored.attempts]).toEqual([false, 1]);
    expect({ text: reused.text, cached: reused.cached, attempts: reused.attempts, cost: reused.cost, cacheKey: reused.cacheKey }).toEqual({ text: 'the plan', cached: true, attempts: 0, cost: 0, cacheKey: stored.cacheKey });
    expect(JSON.parse(child.stdout)).toEqual({ text: 'the plan', cached: true, attempts: 0 });
    expect(server.requests.length).toBe(1);
  });

  test('ten concurrent identical calls make one HTTP request', async () => {
    const { client } = await cachedClient();
    server.enqueue({ text: 'shared', latencyMs: 100 });

    const results = await Promise.all(Array.from({ length: 10 }, () => client.complete(ask('same question'))));

    expect(server.requests.length).toBe(1);
    expect(results.map((result) => result.text)).toEqual(Array(10).fill('shared'));
    expect(results.filter((result) => !result.cached).length).toBe(1);
    expect(client.usage()).toMatchObject({ calls: 10, cacheHits: 9 });
    await client.close();
  });

  test('a caller that aborts leaves the shared call running for the others', async () => {
    const { client } = await cachedClient();
    server.enqueue({ text: 'still delivered', latencyMs: 150 });
    const controller = new AbortController();

    const leaving = errorOf(client.complete(ask('same', { signal: controller.signal })));
    const staying = client.complete(ask('same'));
    await server.waitForRequests(1);
    controller.abort(new Error('not needed any more'));

    expect((await leaving).code).toBe('HEPHAESTUS_ABORTED');
    expect((await staying).text).toBe('still delivered');
    expect(server.requests.length).toBe(1);
    await client.close();
  });

  test.each([
    ['all', 0.7, 1],
    ['deterministic', 0.7, 2],
    ['deterministic', 0, 1],
    ['off', 0, 2],
  ] as const)('mode %s at temperature %s: two identical sequential calls make %i request(s)', async (mode, temperature, requests) => {
    const { client } = await cachedClient({ cache: { mode } });
    await client.complete(ask('question', { temperature }));
    await client.complete(ask('question', { temperature }));
    expect(server.requests.length).toBe(requests);
    await client.close();
  });

  test('cache: false on a request bypasses the cache and single-flight', async () => {
    const { client } = await cachedClient();
    await Promise.all([client.complete(ask('candidate', { cache: false })), client.complete(ask('candidate', { cache: false }))]);
    expect(server.requests.length).toBe(2);
    await client.close();
  });

  test('invalidate() evicts an entry whose reply failed validation; the next call asks again', async () => {
    const { client } = await cachedClient();
    server.enqueue({ text: 'not json' }, { text: '{"ok":true}' });

    const bad = await client.complete(ask('give json'));
    await client.invalidate(bad);
    const good = await client.complete(ask('give json'));
    const again = await client.complete(ask('give json'));

    expect([bad.text, good.text, again.text, again.cached]).toEqual(['not json', '{"ok":true}', '{"ok":true}', true]);
    expect(server.requests.length).toBe(2);
    await client.close();
  });

  test('entries expire after llm.cache.ttlMs', async () => {
    const { client } = await cachedClient({ cache: { mode: 'all', ttlMs: 30 } });
    await client.complete(ask('short-lived'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    const later = await client.complete(ask('short-lived'));
    expect([later.cached, server.requests.length]).toEqual([false, 2]);
    await client.close();
  });

  test('hits, misses, entries and bytes are counted persistently per namespace', async () => {
    const { client } = await cachedClient();
    await client.complete(ask('one'));
    await client.complete(ask('one'));
    await client.complete(ask('two'));
    await client.close();

    const stats = await readCacheStats(stateDir);

    expect(stats.namespaces.scan).toEqual({ entries: 0, hits: 0, misses: 0, bytes: 0 });
    expect({ ...stats.namespaces.llm, bytes: stats.namespaces.llm.bytes > 0 }).toEqual({ entries: 2, hits: 1, misses: 2, bytes: true });
    expect(stats.fileBytes).toBeGreaterThan(0);
  });
});

describe('secrets', () => {
  test('the API key never reaches the log file, the cache file, or the prompt sent', async () => {
    const log = createLogger({ level: 'debug', stateDir, console: 'none', secrets: [TEST_KEY] });
    const { client } = await clientFor(server, { retries: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 } }, { stateDir, logger: log.logger });
    server.enqueue({ fault: 'server-error' }, { text: `echoing ${TEST_KEY} back` }, { fault: 'status', status: 401, message: `Incorrect API key provided: ${TEST_KEY}` });

    const result = await client.complete(ask(`my .env says OPENAI_API_KEY=${TEST_KEY}`));
    const refused = await errorOf(client.complete(ask('second')));
    log.logger.error({ err: refused, apiKey: TEST_KEY }, 'command-failed');
    await client.close();
    log.flush();

    const logText = await readFile(path.join(stateDir, 'hephaestus.log'), 'utf8');
    const cacheBytes = await readFile(cacheFileOf(stateDir));
    expect(logText).toContain('llm-retry');
    expect(logText).toContain('LLM_AUTH');
    expect(logText.includes(TEST_KEY)).toBe(false);
    expect(cacheBytes.includes(TEST_KEY)).toBe(false);
    expect(cacheBytes.includes('[REDACTED]')).toBe(true);
    expect(result.text).toBe('echoing [REDACTED] back');
    expect(server.requests[0]?.lastUserMessage).toBe('my .env says OPENAI_API_KEY=[REDACTED]');
    expect(server.requests.every((request) => !JSON.stringify(request.body).includes(TEST_KEY))).toBe(true);
  });
});
