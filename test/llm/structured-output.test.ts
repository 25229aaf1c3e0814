// Provider defaults, structured output, prompt-cache blocks, cached-token usage and USD cost,
// through the real SDKs against the fake server, for both wire protocols.
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../../agent/config/schema.js';
import { completeJson } from '../../agent/llm/complete-json.js';
import { createLlmClient } from '../../agent/llm/create-llm-client.js';
import { responseSchemaOf } from '../../agent/llm/response-schema.js';
import type { FakeLlmServer } from '../support/fake-llm-server.js';
import { ManualClock } from './manual-clock.js';
import { ask, clientFor, keysFor, silentLogger, TEST_KEY, useFakeServers } from './llm-test-kit.js';

const { server, oldServer } = await useFakeServers();

const strategyReply = z.object({ strategy: z.string().min(1), reason: z.string().nullish() });
const STRATEGY_SCHEMA = {
  type: 'object',
  properties: { strategy: { type: 'string' }, reason: { type: ['string', 'null'] } },
  required: ['strategy', 'reason'],
  additionalProperties: false,
};

async function defaultClient(target: FakeLlmServer, provider: 'openai' | 'anthropic') {
  const config = configSchema.parse({ llm: { provider, baseUrl: provider === 'openai' ? target.openaiBaseUrl : target.anthropicBaseUrl, retries: { maxAttempts: 1 } } });
  return createLlmClient({ config, apiKeys: keysFor(provider), stateDir: null, logger: silentLogger, clock: new ManualClock({ autoAdvance: true }), secrets: [TEST_KEY] });
}

describe('default models per provider', () => {
  test.each([
    ['openai', 'gpt-5', 'gpt-5-mini'],
    ['anthropic', 'claude-sonnet-4-5', 'claude-haiku-4-5'],
  ] as const)('%s: main %s, light %s', async (provider, main, light) => {
    const client = await defaultClient(server, provider);
    await client.complete(ask('plan'));
    await client.complete(ask('choose', { role: 'light' }));
    expect({ models: client.models, sent: server.requests.map((request) => request.model) }).toEqual({ models: { main, light }, sent: [main, light] });
    await client.close();
  });
});

describe('structured output', () => {
  test('the zod schema becomes a closed JSON Schema with every property required', () => {
    expect(responseSchemaOf('maestro', strategyReply)).toEqual({ name: 'maestro', schema: STRATEGY_SCHEMA });
  });

  test('openai: response_format json_schema, strict, named after the role', async () => {
    const { client } = await clientFor(server);
    server.enqueue({ text: '{"strategy":"SYNTAX_ONLY","reason":null}' });
    const parsed = await completeJson(client, ask('choose', { purpose: 'maestro' }), strategyReply);
    expect(parsed.ok && parsed.value).toEqual({ strategy: 'SYNTAX_ONLY', reason: null });
    expect(server.requests[0]!.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'maestro', schema: STRATEGY_SCHEMA, strict: true } });
    await client.close();
  });

  test('anthropic: output_config.format with the schema', async () => {
    const { client } = await clientFor(server, {}, { provider: 'anthropic' });
    server.enqueue({ text: '{"strategy":"SYNTAX_ONLY","reason":"cheap"}' });
    const parsed = await completeJson(client, ask('choose', { purpose: 'maestro' }), strategyReply);
    expect(parsed.ok && parsed.value).toEqual({ strategy: 'SYNTAX_ONLY', reason: 'cheap' });
    expect(server.requests[0]!.body.output_config).toEqual({ format: { type: 'json_schema', schema: STRATEGY_SCHEMA } });
    await client.close();
  });

  test.each(['openai', 'anthropic'] as const)('%s: a server that refuses the schema (400) is asked once more without, and never again with it', async (provider) => {
    const { client } = await clientFor(oldServer, {}, { provider });
    oldServer.respondWith(() => ({ text: '{"strategy":"TEST_FIX"}' }));

    const first = await completeJson(client, ask('choose', { purpose: 'maestro' }), strategyReply);
    const second = await completeJson(client, ask('choose again', { purpose: 'maestro' }), strategyReply);

    expect([first.ok && first.value, second.ok && second.value]).toEqual([{ strategy: 'TEST_FIX' }, { strategy: 'TEST_FIX' }]);
    const withSchema = oldServer.requests.map((request) => request.body.response_format?.type ?? (request.body.output_config ? 'output_config' : 'none'));
    expect(withSchema).toEqual(provider === 'openai' ? ['json_schema', 'json_object', 'json_object'] : ['output_config', 'none', 'none']);
    await client.close();
  });

  test('a reply that does not match the schema is still refused by validation', async () => {
    const { client } = await clientFor(server);
    server.enqueue({ text: '{"strategy":""}' });
    const parsed = await completeJson(client, ask('choose', { purpose: 'maestro' }), strategyReply);
    expect(parsed.ok ? null : parsed.problem.code).toBe('REPLY_INVALID');
    await client.close();
  });
});

describe('prompt caching and cost', () => {
  test('anthropic: cache_control after each block marked for caching; openai gets one system text', async () => {
    const system = [{ text: 'static rules\n', cache: true }, { text: 'manifest\n', cache: true }, { text: 'files\n' }];
    const anthropic = (await clientFor(server, {}, { provider: 'anthropic' })).client;
    await anthropic.complete(ask('plan', { system }));
    const openai = (await clientFor(server)).client;
    await openai.complete(ask('plan', { system }));

    expect(server.requests[0]!.body.system).toEqual([
      { type: 'text', text: 'static rules\n', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'manifest\n', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'files\n' },
    ]);
    expect(server.requests[1]!.body.messages[0]).toEqual({ role: 'system', content: 'static rules\nmanifest\nfiles\n' });
    await Promise.all([anthropic.close(), openai.close()]);
  });

  test('openai: cached_tokens are recorded and priced at the cached rate of the default model (USD)', async () => {
    const client = await defaultClient(server, 'openai');
    server.enqueue({ text: 'ok', usage: { inputTokens: 1000, cachedInputTokens: 800, outputTokens: 100 } });
    const result = await client.complete(ask('plan'));
    expect({ usage: result.usage, cost: result.cost }).toEqual({ usage: { inputTokens: 1000, cachedInputTokens: 800, outputTokens: 100 }, cost: (200 * 1.25 + 800 * 0.125 + 100 * 10) / 1_000_000 });
    expect(client.usage()).toMatchObject({ tokensIn: 1000, cachedTokensIn: 800 });
    await client.close();
  });

  test('anthropic: cache reads and writes are counted as input and priced at their own rates', async () => {
    const client = await defaultClient(server, 'anthropic');
    server.enqueue({ text: 'ok', usage: { inputTokens: 1000, cachedInputTokens: 600, cacheWriteTokens: 200, outputTokens: 100 } });
    const result = await client.complete(ask('plan'));
    expect({ usage: result.usage, cost: result.cost }).toEqual({
      usage: { inputTokens: 1000, cachedInputTokens: 600, cacheWriteTokens: 200, outputTokens: 100 },
      cost: (200 * 3 + 600 * 0.3 + 200 * 3.75 + 100 * 15) / 1_000_000,
    });
    await client.close();
  });

  test('llm.prices overrides the built-in price of a model', async () => {
    const config = configSchema.parse({ llm: { provider: 'openai', baseUrl: server.openaiBaseUrl, prices: { 'gpt-5': { input: 10, output: 100 } } } });
    const client = await createLlmClient({ config, apiKeys: keysFor('openai'), stateDir: null, logger: silentLogger, secrets: [TEST_KEY] });
    server.enqueue({ text: 'ok', usage: { inputTokens: 1000, cachedInputTokens: 500, outputTokens: 10 } });
    expect((await client.complete(ask('plan'))).cost).toBe((1000 * 10 + 10 * 100) / 1_000_000);
    await client.close();
  });
});
