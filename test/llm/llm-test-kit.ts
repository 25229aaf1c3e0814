// Shared set-up of the LLM tests: a config pointing at the fake server, a silent logger, and
// a client factory with fast retries and an auto-advancing clock unless told otherwise.
import pino from 'pino';
import { afterAll, beforeEach } from 'vitest';
import type { ApiKeys } from '../../agent/config/load-config.js';
import { configSchema, type Config, type ConfigInput } from '../../agent/config/schema.js';
import { createLlmClient, type CreateLlmClientOptions } from '../../agent/llm/create-llm-client.js';
import type { LlmClient } from '../../agent/llm/types.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { ManualClock } from './manual-clock.js';

export const TEST_KEY = 'sk-test-0123456789abcdef-SECRET';

export type LlmInput = NonNullable<ConfigInput['llm']>;

export function llmConfig(server: FakeLlmServer, llm: LlmInput = {}, provider: 'openai' | 'anthropic' = 'openai'): Config {
  return configSchema.parse({
    llm: {
      provider,
      baseUrl: provider === 'openai' ? server.openaiBaseUrl : server.anthropicBaseUrl,
      models: { main: 'model-main', light: 'model-light' },
      retries: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      ...llm,
    },
  });
}

export const silentLogger = pino({ level: 'silent' });

export function keysFor(provider: 'openai' | 'anthropic', key = TEST_KEY): ApiKeys {
  return provider === 'openai' ? { openai: key, anthropic: null } : { openai: null, anthropic: key };
}

export async function clientFor(
  server: FakeLlmServer,
  llm: LlmInput = {},
  { provider = 'openai', ...extra }: Partial<Omit<CreateLlmClientOptions, 'provider'>> & { provider?: 'openai' | 'anthropic' } = {},
): Promise<{ client: LlmClient; clock: ManualClock }> {
  const clock = (extra.clock as ManualClock | undefined) ?? new ManualClock({ autoAdvance: true });
  const client = await createLlmClient({
    config: llmConfig(server, llm, provider),
    apiKeys: keysFor(provider),
    stateDir: null,
    logger: silentLogger,
    random: () => 0.5,
    secrets: [TEST_KEY],
    ...extra,
    clock,
  });
  return { client, clock };
}

export const ask = (text: string, extra: Partial<Parameters<LlmClient['complete']>[0]> = {}): Parameters<LlmClient['complete']>[0] => ({
  role: 'main',
  purpose: 'test',
  system: 'You are a test.',
  messages: [{ role: 'user', content: text }],
  ...extra,
});

/** Polls (real time) until `condition` holds; for waiting on I/O in tests driven by a manual clock. */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 20_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as { code?: string; message: string; details?: Record<string, unknown> };
    return { code: failure.code ?? 'NO_CODE', message: failure.message, details: failure.details ?? {} };
  }
  throw new Error('expected the promise to reject');
}

/** A current server and an older compatible one that refuses structured output (400), both
 *  reset before each test of the file and closed after it. Call at the top of a test file. */
export async function useFakeServers(): Promise<{ server: FakeLlmServer; oldServer: FakeLlmServer }> {
  const server = await startFakeLlmServer();
  const oldServer = await startFakeLlmServer({ refuseStructuredOutput: true });
  afterAll(async () => Promise.all([server.close(), oldServer.close()]));
  beforeEach(() => {
    server.reset();
    oldServer.reset();
  });
  return { server, oldServer };
}
