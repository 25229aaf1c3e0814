// Which provider a configuration gets, and what happens when it cannot be used: `auto`
// resolution, the offline slot before and after an engine registers, missing keys.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pino from 'pino';
import { Writable } from 'node:stream';
import { configSchema, type ConfigInput } from '../../agent/config/schema.js';
import { createLlmClient } from '../../agent/llm/create-llm-client.js';
import { registerProvider } from '../../agent/llm/provider-registry.js';
import { resolveProviderName } from '../../agent/llm/resolve-provider.js';
import { startFakeLlmServer } from '../support/fake-llm-server.js';
import { ask, errorOf, silentLogger } from './llm-test-kit.js';

const none = { openai: null, anthropic: null };
const config = (llm: NonNullable<ConfigInput['llm']> = {}) => configSchema.parse({ llm });

describe('auto resolution', () => {
  test.each([
    ['an Anthropic key', {}, { openai: null, anthropic: 'sk-ant-123456' }, 'anthropic', 'ANTHROPIC_API_KEY is set'],
    ['an OpenAI key', {}, { openai: 'sk-123456', anthropic: null }, 'openai', 'OPENAI_API_KEY is set'],
    ['only a base URL', { baseUrl: 'http://localhost:11434/v1' }, none, 'openai', 'llm.baseUrl is http://localhost:11434/v1'],
    ['nothing', {}, none, 'offline', 'no API key and no llm.baseUrl are configured'],
    ['a custom OpenRouter key variable', { apiKeyEnv: 'OPENROUTER_API_KEY' }, { openai: 'or-123456', anthropic: 'or-123456' }, 'openai', 'llm.apiKeyEnv OPENROUTER_API_KEY is set'],
    ['an explicit provider', { provider: 'anthropic' as const }, none, 'anthropic', 'llm.provider is "anthropic"'],
  ])('%s', (_name, llm, keys, name, reason) => {
    expect(resolveProviderName(config(llm), keys)).toEqual({ name, reason });
  });
});

describe('unavailable providers', () => {
  test('openai without key or base URL, and anthropic without key, name the variable to set', async () => {
    const openai = await errorOf(createLlmClient({ config: config({ provider: 'openai' }), apiKeys: none, stateDir: null, logger: silentLogger }));
    const anthropic = await errorOf(createLlmClient({ config: config({ provider: 'anthropic' }), apiKeys: none, stateDir: null, logger: silentLogger }));
    expect([openai.code, anthropic.code]).toEqual(['LLM_PROVIDER_UNAVAILABLE', 'LLM_PROVIDER_UNAVAILABLE']);
    expect(openai.message).toContain('set OPENAI_API_KEY');
    expect(anthropic.message).toContain('set ANTHROPIC_API_KEY');
  });

  test('a keyless local server (Ollama, llama.cpp) works with only a base URL', async () => {
    const server = await startFakeLlmServer();
    const client = await createLlmClient({ config: config({ baseUrl: server.openaiBaseUrl }), apiKeys: none, stateDir: null, logger: silentLogger });
    const result = await client.complete(ask('hi'));
    expect([client.provider, result.text, server.requests[0]?.headers.authorization]).toEqual(['openai', 'fake reply #0', 'Bearer not-needed']);
    await client.close();
    await server.close();
  });
});

describe('a registered offline engine', () => {
  let unregister = () => {};
  beforeAll(() => {
    unregister = registerProvider('offline', () => ({
      name: 'offline',
      url: 'offline://engine',
      local: true,
      send: async (request) => ({ text: `offline answer to ${request.messages.at(-1)?.content}`, model: 'offline', usage: { inputTokens: 0, outputTokens: 0 } }),
    }));
  });
  afterAll(() => unregister());

  test('is used by auto without keys, with one info line saying why', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    const client = await createLlmClient({ config: config(), apiKeys: none, stateDir: null, logger });
    const result = await client.complete(ask('hi'));

    expect([client.provider, result.text, result.cached, result.cacheKey]).toEqual(['offline', 'offline answer to hi', false, null]);
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      'LLM provider: offline, because no API key and no llm.baseUrl are configured; set OPENAI_API_KEY, ANTHROPIC_API_KEY or llm.baseUrl to use a model',
    ]);
    await client.close();
  });
});
