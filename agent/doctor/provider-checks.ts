// Checks of the model path: which provider runs and why, whether its key is there, and whether
// each configured model answers one minimal structured-output request (one attempt, no cache,
// no rate limiter), with the same error classification as a run.
import type { Logger } from 'pino';
import type { ApiKeys } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { cachedResponseSchema } from '../llm/complete-json.js';
import { LlmAuthError, LlmBadRequestError, LlmModelNotFoundError, LlmRefusedError } from '../llm/llm-errors.js';
import { modelsFor } from '../llm/model-defaults.js';
import type { LlmProvider } from '../llm/provider.js';
import { createProviderRegistry } from '../llm/provider-registry.js';
import { resolveProviderName, type ProviderChoice } from '../llm/resolve-provider.js';
import { systemClock } from '../core/clock.js';
import { sendWithRetries, type SendRequest } from '../llm/send-with-retries.js';
import { z } from 'zod';
import { failed, passed, skipped, warned, type CheckResult } from './doctor-check.js';

export function checkProviderChoice(config: Config, apiKeys: ApiKeys): { result: CheckResult; choice: ProviderChoice } {
  const choice = resolveProviderName(config, apiKeys);
  if (choice.name === 'offline') {
    return { choice, result: warned('provider', `offline: the built-in engine, no model calls (${choice.reason})`, 'To use a model, set ANTHROPIC_API_KEY or OPENAI_API_KEY, or llm.baseUrl for a local OpenAI-compatible server.') };
  }
  return { choice, result: passed('provider', `${choice.name}, because ${choice.reason}`) };
}

export function keyVariableOf(config: Config, provider: string): string {
  return config.llm.apiKeyEnv ?? (provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY');
}

export function checkKey(config: Config, apiKeys: ApiKeys, provider: string): CheckResult {
  const variable = keyVariableOf(config, provider);
  if (provider === 'offline') return skipped('key', 'no key needed offline');
  const key = provider === 'anthropic' ? apiKeys.anthropic : apiKeys.openai;
  if (key !== null) return passed('key', `${variable} is set (${key.length} characters)`);
  if (provider === 'openai' && config.llm.baseUrl !== null) return passed('key', `no key; none needed for the local server at ${config.llm.baseUrl}`);
  return failed('key', `${variable} is not set`, `Export ${variable}=<your ${provider} API key> (or name another variable in llm.apiKeyEnv). Keys never go in the config file.`);
}

const pong = z.object({ ok: z.boolean() });

export interface ModelCheckContext {
  config: Config;
  apiKeys: ApiKeys;
  provider: string;
  logger: Logger;
  signal: AbortSignal;
  /** A provider to use as it is, instead of the one the registry builds. */
  providerInstance?: LlmProvider;
}

/** One line per distinct model (main, light): it answered, refused structured output, or failed. */
export async function checkModels(context: ModelCheckContext): Promise<CheckResult[]> {
  const { config, apiKeys, provider: name, logger } = context;
  let provider: LlmProvider;
  try {
    provider = context.providerInstance ?? (await createProviderRegistry().create(name, { config, apiKeys, logger }));
  } catch (error) {
    return [failed('models', (error as Error).message, 'Fix the provider settings above (llm.provider, llm.baseUrl, the key).')];
  }
  const models = modelsFor(config, provider.name);
  const roles = models.main === models.light ? (['main'] as const) : (['main', 'light'] as const);
  const results: CheckResult[] = [];
  for (const role of roles) results.push(await checkModel(role, models[role], provider, context));
  return results;
}

async function checkModel(role: 'main' | 'light', model: string, provider: LlmProvider, context: ModelCheckContext): Promise<CheckResult> {
  const id = `model:${role}`;
  const sendContext = {
    provider,
    limiter: null,
    policy: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    timeoutMs: Math.min(context.config.llm.timeoutMs, 60_000),
    clock: systemClock,
    random: Math.random,
    logger: context.logger,
    secrets: [context.apiKeys.openai, context.apiKeys.anthropic].filter((key): key is string => key !== null),
    keyVariable: keyVariableOf(context.config, provider.name),
  };
  const request: SendRequest = {
    model,
    system: 'You check that this model is reachable. Reply with the JSON object {"ok": true} and nothing else.',
    messages: [{ role: 'user', content: 'ping' }],
    temperature: 0,
    maxTokens: 32,
    responseFormat: 'json',
    responseSchema: cachedResponseSchema('doctor', pong),
    purpose: 'doctor',
  };
  const what = `${provider.name} model "${model}" (${role === 'main' ? 'Architect, objectives' : 'Maestro, review, commit messages'})`;
  try {
    await sendWithRetries(request, context.signal, sendContext);
    return passed(id, `${what} answers, with structured output`);
  } catch (error) {
    if (error instanceof LlmBadRequestError) {
      const { responseSchema: _schema, ...plain } = request;
      const retried = await sendWithRetries(plain, context.signal, sendContext).then(() => null, (second: unknown) => second);
      if (retried === null) return warned(id, `${what} answers, but the endpoint refuses JSON Schema structured output`, 'Runs fall back to plain JSON mode (replies are still validated); use a server or model that accepts response_format json_schema for fewer repaired replies.');
      return failureOf(id, what, retried);
    }
    return failureOf(id, what, error);
  }
}

function failureOf(id: string, what: string, error: unknown): CheckResult {
  const message = (error as Error).message;
  if (error instanceof LlmAuthError) return failed(id, `${what}: the key was refused`, error.fix);
  if (error instanceof LlmModelNotFoundError) return failed(id, `${what}: unknown model`, error.fix);
  if (error instanceof LlmRefusedError) return failed(id, `${what}: ${message}`, error.fix);
  return failed(id, `${what} is unreachable: ${message}`, 'Check llm.baseUrl and the network (a proxy, a firewall), or that the local server is running.');
}
