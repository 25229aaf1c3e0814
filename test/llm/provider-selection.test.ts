// Which provider a configuration gets, and what happens when it cannot be used: `auto`
// resolution, a registry's own providers, the offline planner without keys, missing keys.
import { describe, expect, test } from 'vitest';
import pino from 'pino';
import { Writable } from 'node:stream';
import { configSchema, type ConfigInput } from '../../agent/config/schema.js';
import { createLlmClient } from '../../agent/llm/create-llm-client.js';
import { createProviderRegistry } from '../../agent/llm/provider-registry.js';
import { createPlanner } from '../../agent/planner/create-planner.js';
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

describe('a provider registry', () => {
  test('is an instance: a provider registered in one is used by the client made with it, and unknown in another', async () => {
    const registry = createProviderRegistry({
      scripted: () => ({
        name: 'scripted',
        url: 'scripted://engine',
        send: async (request) => ({ text: `scripted answer to ${request.messages.at(-1)?.content}`, model: 'scripted', usage: { inputTokens: 1, outputTokens: 1 } }),
      }),
    });
    const scripted = configSchema.parse({ llm: { provider: 'openai' } });
    const chosen = await registry.create('scripted', { config: scripted, apiKeys: none, logger: silentLogger });
    const client = await createLlmClient({ config: scripted, apiKeys: none, stateDir: null, logger: silentLogger, provider: chosen });
    const result = await client.complete(ask('hi'));
    expect([client.provider, result.text, registry.names()]).toEqual(['scripted', 'scripted answer to hi', ['anthropic', 'openai', 'scripted']]);
    await client.close();
    const other = await errorOf(createProviderRegistry().create('scripted', { config: scripted, apiKeys: none, logger: silentLogger }));
    expect(other).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE', message: 'unknown LLM provider "scripted" (llm.provider is "scripted"); registered: anthropic, openai.' });
  });
});

describe('without a key or base URL', () => {
  test('auto gives the offline planner, with one info line saying why', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    const planner = await createPlanner({ config: config(), apiKeys: none, repoRoot: process.cwd(), stateDir: null, logger, providers: createProviderRegistry() });

    expect([planner.name, planner.llm]).toEqual(['offline', null]);
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      'LLM provider: offline, because no API key and no llm.baseUrl are configured; set OPENAI_API_KEY, ANTHROPIC_API_KEY or llm.baseUrl to use a model',
    ]);
    await planner.close();
  });
});
