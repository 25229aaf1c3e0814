// The client through the real openai and @anthropic-ai/sdk SDKs against the fake server:
// request shapes, each fault retried or ending in the right error, fallback models, abort.
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer, type FakeReply } from '../support/fake-llm-server.js';
import { ask, clientFor, errorOf, TEST_KEY } from './llm-test-kit.js';

const server: FakeLlmServer = await startFakeLlmServer();
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('openai provider', () => {
  test('sends the role model, system prompt and key, and returns text, usage and cost', async () => {
    const { client } = await clientFor(server, { prices: { 'model-light': { input: 2, output: 10 } } });
    server.enqueue({ text: '{"strategy":"SYNTAX_ONLY"}', usage: { inputTokens: 1000, outputTokens: 100 } });

    const result = await client.complete(ask('pick a strategy', { role: 'light', temperature: 0, maxTokens: 50, responseFormat: 'json' }));

    expect({ ...result, latencyMs: 0 }).toEqual({
      text: '{"strategy":"SYNTAX_ONLY"}',
      model: 'model-light',
      usage: { inputTokens: 1000, outputTokens: 100 },
      cost: (1000 * 2 + 100 * 10) / 1_000_000,
      cached: false,
      latencyMs: 0,
      attempts: 1,
      cacheKey: null,
    });
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(request?.body).toEqual({
      model: 'model-light',
      messages: [
        { role: 'system', content: 'You are a test.' },
        { role: 'user', content: 'pick a strategy' },
      ],
      temperature: 0,
      max_tokens: 50,
      response_format: { type: 'json_object' },
    });
    expect(client.usage()).toEqual({ calls: 1, cacheHits: 0, cachedTokensIn: 0, tokensIn: 1000, tokensOut: 100, cost: 0.003 });
    await client.close();
  });

  const recoverable: Array<[string, FakeReply, number[]]> = [
    ['429 with Retry-After: 2', { fault: 'rate-limit', retryAfterSeconds: 2 }, [2000]],
    ['500', { fault: 'server-error' }, [75]],
    ['503', { fault: 'server-error', status: 503 }, [75]],
    ['malformed JSON body', { fault: 'malformed-json' }, [75]],
    ['empty body', { fault: 'empty-body' }, [75]],
    ['connection reset', { fault: 'connection-reset' }, [75]],
  ];
  test.each(recoverable)('retries after %s and succeeds on the next attempt', async (_name, fault, sleeps) => {
    const { client, clock } = await clientFor(server);
    server.enqueue(fault, { text: 'recovered' });

    const result = await client.complete(ask('hello'));

    expect({ text: result.text, attempts: result.attempts, requests: server.requests.length, sleeps: clock.sleeps }).toEqual({ text: 'recovered', attempts: 2, requests: 2, sleeps });
    await client.close();
  });

  test('backoff grows exponentially up to maxDelayMs, then the call fails with LLM_UNAVAILABLE naming the endpoint', async () => {
    const { client, clock } = await clientFor(server, { retries: { maxAttempts: 5, baseDelayMs: 400, maxDelayMs: 1_000 } });
    server.respondWith(() => ({ fault: 'server-error' }));

    const error = await errorOf(client.complete(ask('hello')));

    expect(error.code).toBe('LLM_UNAVAILABLE');
    expect(error.message).toBe(
      `LLM unavailable: openai model "model-main" at ${server.openaiBaseUrl}/chat/completions (5 attempts, HTTP 500): server error: 500 Internal server error (fake). Check that the endpoint is up, or raise llm.retries.maxAttempts / add llm.models.fallback.`,
    );
    expect(clock.sleeps).toEqual([300, 600, 750, 750]);
    expect(server.requests.length).toBe(5);
    await client.close();
  });

  test('a hanging server ends in LLM_TIMEOUT after every attempt timed out', async () => {
    const { client } = await clientFor(server, { timeoutMs: 200, retries: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 } });
    server.respondWith(() => ({ fault: 'hang' }));

    const error = await errorOf(client.complete(ask('hello')));

    expect({ code: error.code, attempts: error.details.attempts, requests: server.requests.length }).toEqual({ code: 'LLM_TIMEOUT', attempts: 2, requests: 2 });
    expect(error.message).toContain('no reply within 200 ms. Raise llm.timeoutMs');
    await client.close();
  });

  test('a refused key (401) is LLM_AUTH, not retried, and the key in the provider message is redacted', async () => {
    const { client } = await clientFor(server);
    server.enqueue({ fault: 'status', status: 401, message: `Incorrect API key provided: ${TEST_KEY}` });

    const error = await errorOf(client.complete(ask('hello')));

    expect({ code: error.code, status: error.details.status, attempts: error.details.attempts, requests: server.requests.length }).toEqual({ code: 'LLM_AUTH', status: 401, attempts: 1, requests: 1 });
    expect(error.message).toBe(
      `LLM refused the request: openai model "model-main" at ${server.openaiBaseUrl}/chat/completions (1 attempt, HTTP 401): 401 Incorrect API key provided: [REDACTED]. Check the API key in OPENAI_API_KEY: it was not accepted by ${server.openaiBaseUrl}/chat/completions.`,
    );
    await client.close();
  });

  test('falls back to the next model while the failure is transient (unavailable)', async () => {
    const { client } = await clientFor(server, { models: { main: 'big', light: 'small', fallback: ['backup-1', 'backup-2'] }, retries: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 } });
    server.respondWith((request) => (request.model === 'backup-2' ? { text: 'from backup-2' } : { fault: 'server-error' }));

    const result = await client.complete(ask('hello'));

    expect({ text: result.text, model: result.model, attempts: result.attempts }).toEqual({ text: 'from backup-2', model: 'backup-2', attempts: 5 });
    expect(server.requests.map((request) => request.model)).toEqual(['big', 'big', 'backup-1', 'backup-1', 'backup-2']);
    await client.close();
  });

  test.each([
    [401, 'LLM_AUTH', 'Check the API key in OPENAI_API_KEY'],
    [403, 'LLM_AUTH', 'Check that the key in OPENAI_API_KEY may use model "big"'],
    [404, 'LLM_MODEL_NOT_FOUND', 'Set llm.models.main / llm.models.light (or --model / --light-model) to a model openai serves'],
    [400, 'LLM_BAD_REQUEST', 'The endpoint rejected the request'],
    [422, 'LLM_BAD_REQUEST', 'The endpoint rejected the request'],
  ])('a %i is %s: no retry, no fallback model, and the fix in one sentence', async (status, code, fix) => {
    const { client } = await clientFor(server, { models: { main: 'big', light: 'small', fallback: ['backup-1'] } });
    server.respondWith(() => ({ fault: 'status', status }));

    const error = await errorOf(client.complete(ask('hello')));

    expect({ code: error.code, requests: server.requests.map((request) => request.model) }).toEqual({ code, requests: ['big'] });
    expect(error.message).toContain(fix);
    await client.close();
  });

  test('aborting the caller signal ends a hanging call with HEPHAESTUS_ABORTED, without retries', async () => {
    const { client } = await clientFor(server);
    server.respondWith(() => ({ fault: 'hang' }));
    const controller = new AbortController();

    const pending = errorOf(client.complete(ask('hello', { signal: controller.signal })));
    await server.waitForRequests(1);
    controller.abort(new Error('user pressed Ctrl-C'));

    expect(await pending).toMatchObject({ code: 'HEPHAESTUS_ABORTED', message: 'Interrupted: user pressed Ctrl-C' });
    expect(server.requests.length).toBe(1);
    await client.close();
  });

  test('rejects a malformed request with LLM_REQUEST_INVALID before any network call', async () => {
    const { client } = await clientFor(server);
    const error = await errorOf(client.complete(ask('hello', { messages: [] })));
    expect(error).toMatchObject({ code: 'LLM_REQUEST_INVALID', message: 'complete(): at least one message is required (purpose test).' });
    expect(server.requests.length).toBe(0);
    await client.close();
  });
});

describe('anthropic provider', () => {
  test('speaks the Messages API with the key and anthropic-version headers, and retries a 429', async () => {
    const { client, clock } = await clientFor(server, {}, { provider: 'anthropic' });
    server.enqueue({ fault: 'rate-limit', retryAfterSeconds: 1 }, { text: 'bonjour', usage: { inputTokens: 12, outputTokens: 3 } });

    const result = await client.complete(ask('hello', { maxTokens: 64 }));

    expect({ text: result.text, model: result.model, usage: result.usage, attempts: result.attempts, sleeps: clock.sleeps }).toEqual({
      text: 'bonjour',
      model: 'model-main',
      usage: { inputTokens: 12, outputTokens: 3 },
      attempts: 2,
      sleeps: [1000],
    });
    const request = server.requests[1];
    expect(request?.path).toBe('/v1/messages');
    expect([request?.headers.authorization, typeof request?.headers['anthropic-version']]).toEqual([`Bearer ${TEST_KEY}`, 'string']);
    expect(request?.body).toEqual({ model: 'model-main', system: 'You are a test.', messages: [{ role: 'user', content: 'hello' }], max_tokens: 64 });
    expect(client.provider).toBe('anthropic');
    await client.close();
  });

  test('a garbled reply is retried, then reported as LLM_UNAVAILABLE', async () => {
    const { client } = await clientFor(server, { retries: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 } }, { provider: 'anthropic' });
    server.respondWith(() => ({ fault: 'empty-body' }));

    const error = await errorOf(client.complete(ask('hello')));

    expect({ code: error.code, attempts: error.details.attempts }).toEqual({ code: 'LLM_UNAVAILABLE', attempts: 2 });
    expect(error.message).toContain('malformed reply: expected a message object, received an empty body');
    await client.close();
  });
});
