// The LLM client every role calls: role → model, secrets redacted, budgets checked, the
// persistent cache and single-flight in front, then the rate-limited, retried provider call
// with a fallback chain of models, and the usage added to the run and the caller's meter.
import type { Logger } from 'pino';
import type { ApiKeys } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { collectSecrets, redactSecrets } from '../logging/redact-secrets.js';
import { createSecretRedactor, type SecretRedactor } from '../logging/secret-redactor.js';
import { llmCacheKey } from './cache-key.js';
import { modelsFor, priceOf, type RoleModels } from './model-defaults.js';
import { throwIfAborted } from '../core/abort.js';
import { systemClock, type Clock } from '../core/clock.js';
import { BudgetExceededError, LlmBadRequestError, LlmRequestError, LlmTimeoutError, LlmUnavailableError } from './llm-errors.js';
import { openLlmCache, type LlmCache } from './llm-cache.js';
import type { LlmProvider } from './provider.js';
import { createProviderRegistry, type ProviderRegistry } from './provider-registry.js';
import { rateLimitsOf } from './rate-limit-presets.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import { resolveProviderName } from './resolve-provider.js';
import { sendWithRetries, type SendContext, type SendRequest } from './send-with-retries.js';
import { SingleFlight } from './single-flight.js';
import type { CompletionRequest, CompletionResult, LlmClient, TokenUsage, UsageMeter } from './types.js';
import { createUsageMeter, tokensSpent } from './usage-meter.js';

export interface CreateLlmClientOptions {
  config: Config;
  apiKeys: ApiKeys;
  /** `.hephaestus/` for the persistent cache; null runs without one. */
  stateDir: string | null;
  logger: Logger;
  clock?: Clock;
  /** Jitter source for backoff, in [0, 1). */
  random?: () => number;
  /** An `llm` cache owned by the caller (e.g. shared in Redis), used instead of the one in `stateDir`; not closed by the client. */
  cache?: LlmCache;
  /** A limiter to share with other clients of the process; by default the client makes its own. */
  rateLimiter?: RateLimiter;
  /** Values never sent to a provider, cached or logged (default: API keys and *_API_KEY/*_TOKEN variables). */
  secrets?: readonly string[];
  /** Shared with the other sinks; default: one seeded with `secrets` (or the environment's). */
  redactor?: SecretRedactor;
  /** A provider to use as it is, instead of the one `llm.provider` names. */
  provider?: LlmProvider;
  /** Where `llm.provider` is looked up (default: the built-in providers). */
  providers?: ProviderRegistry;
}

/** What one provider call (or cache hit) produced, before per-caller accounting. */
interface Answer {
  text: string;
  model: string;
  usage: TokenUsage;
  cached: boolean;
  attempts: number;
}

export async function createLlmClient(options: CreateLlmClientOptions): Promise<LlmClient> {
  const { config, apiKeys, logger } = options;
  const llm = config.llm;
  const clock = options.clock ?? systemClock;
  const choice = options.provider ? { name: options.provider.name, reason: 'a provider given by the caller' } : resolveProviderName(config, apiKeys);
  const provider: LlmProvider = options.provider ?? (await (options.providers ?? createProviderRegistry()).create(choice.name, { config, apiKeys, logger }, choice.reason));
  const models = modelsFor(config, provider.name);
  logger.debug({ provider: provider.name, url: provider.url, reason: choice.reason, models }, 'llm-provider');

  const ownLimiter = options.rateLimiter === undefined;
  const limiter = options.rateLimiter ?? createRateLimiter(rateLimitsOf(llm.rateLimit), clock);
  const ownCache = options.cache === undefined;
  const cache: LlmCache | null = llm.cache.mode === 'off' ? null : (options.cache ?? (options.stateDir !== null ? await openLlmCache(options.stateDir, llm.cache.ttlMs) : null));
  const redactor = options.redactor ?? createSecretRedactor(options.secrets ?? collectSecrets(process.env, [apiKeys.openai, apiKeys.anthropic]));
  const secrets = redactor.values;
  const runMeter = createUsageMeter({ tokenLimit: llm.budget.tokensPerRun });
  const flights = new SingleFlight<Answer>();
  let failed = 0;
  const sendContext: SendContext = {
    provider,
    limiter,
    policy: llm.retries,
    timeoutMs: llm.timeoutMs,
    clock,
    random: options.random ?? Math.random,
    logger,
    secrets,
    keyVariable: llm.apiKeyEnv ?? (provider.name === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY'),
  };

  function checkBudgets(meter: UsageMeter | undefined): void {
    const runTokens = tokensSpent(runMeter.totals);
    if (llm.budget.tokensPerRun !== null && runTokens >= llm.budget.tokensPerRun) throw new BudgetExceededError('tokensPerRun', runTokens, llm.budget.tokensPerRun);
    if (llm.budget.costPerRun !== null && runMeter.totals.cost >= llm.budget.costPerRun) throw new BudgetExceededError('costPerRun', runMeter.totals.cost, llm.budget.costPerRun);
    if (meter !== undefined && meter.tokenLimit !== null && tokensSpent(meter.totals) >= meter.tokenLimit) {
      throw new BudgetExceededError('tokensPerCycle', tokensSpent(meter.totals), meter.tokenLimit);
    }
  }

  /** Endpoints (by URL) that refused a structured-output request; they get plain JSON mode from then on. */
  const schemaRefusedBy = new Set<string>();

  /** Sends with the reply's schema; an endpoint that answers 400 to it is asked once more without. */
  async function sendStructured(request: SendRequest, signal: AbortSignal) {
    if (request.responseSchema === undefined) return sendWithRetries(request, signal, sendContext);
    const { responseSchema: _schema, ...plain } = request;
    if (schemaRefusedBy.has(provider.url)) return sendWithRetries(plain, signal, sendContext);
    try {
      return await sendWithRetries(request, signal, sendContext);
    } catch (error) {
      if (!(error instanceof LlmBadRequestError)) throw error;
      schemaRefusedBy.add(provider.url);
      logger.warn({ provider: provider.name, url: provider.url, problem: error.message }, 'structured output refused by this endpoint; asking again in plain JSON mode');
      return sendWithRetries(plain, signal, sendContext);
    }
  }

  /** Tries the model, then each fallback model while the failure is transient (unavailable, timed out). */
  async function sendWithFallback(request: SendRequest, signal: AbortSignal): Promise<Answer> {
    const chain = [request.model, ...llm.models.fallback.filter((model) => model !== request.model)];
    let attempts = 0;
    for (const [index, model] of chain.entries()) {
      try {
        const sent = await sendStructured({ ...request, model }, signal);
        return { ...sent.reply, text: redactSecrets(sent.reply.text, secrets), cached: false, attempts: attempts + sent.attempts };
      } catch (error) {
        const next = chain[index + 1];
        if (next === undefined || !shouldFallBack(error)) throw error;
        attempts += Number((error as LlmUnavailableError).details.attempts ?? 0);
        logger.warn({ provider: provider.name, model, next, code: (error as LlmUnavailableError).code }, 'llm-fallback');
      }
    }
    throw new Error('unreachable: the model chain is never empty');
  }

  async function produce(request: SendRequest, key: string | null, meter: UsageMeter | undefined, signal: AbortSignal): Promise<Answer> {
    if (key !== null && cache !== null) {
      const hit = await cache.get(key);
      if (hit !== undefined) return { text: hit.text, model: hit.model, usage: hit.usage, cached: true, attempts: 0 };
    }
    throwIfAborted(signal);
    checkBudgets(meter);
    const answer = await sendWithFallback(request, signal);
    if (key !== null && cache !== null) await cache.set(key, { text: answer.text, model: answer.model, usage: answer.usage, storedAt: Date.now() });
    return answer;
  }

  return {
    provider: provider.name,
    models,

    async complete(request: CompletionRequest): Promise<CompletionResult> {
      throwIfAborted(request.signal);
      // Source files and outputs in the prompt may hold well-known secret shapes: learn them first,
      // so the request, its cache key and every later sink see them redacted.
      const systemText = typeof request.system === 'string' ? request.system : request.system.map((block) => block.text).join('');
      await redactor.discover([systemText, ...request.messages.map((message) => message.content)].join('\n'));
      const prepared = prepareRequest(request, config, models, secrets);
      const cacheable = request.cache !== false && (llm.cache.mode === 'all' || (llm.cache.mode === 'deterministic' && prepared.temperature === 0));
      const key = cacheable ? llmCacheKey({ provider: provider.name, baseUrl: llm.baseUrl, ...prepared }) : null;
      const started = performance.now();

      let answer: Answer;
      let joined = false;
      try {
        if (key === null) {
          answer = await produce(prepared, null, request.meter, request.signal ?? new AbortController().signal);
        } else {
          const outcome = await flights.run(key, request.signal, (signal) => produce(prepared, key, request.meter, signal));
          answer = outcome.value;
          joined = outcome.joined;
        }
      } catch (error) {
        if (!request.signal?.aborted && !(error instanceof BudgetExceededError)) failed += 1;
        throw error;
      }

      const cached = answer.cached || joined;
      const result: CompletionResult = {
        text: answer.text,
        model: answer.model,
        usage: answer.usage,
        cost: cached ? 0 : costOf(config, provider.name, answer.model, prepared.model, answer.usage),
        cached,
        latencyMs: performance.now() - started,
        attempts: joined ? 0 : answer.attempts,
        cacheKey: cache === null ? null : key,
      };
      runMeter.add(result);
      request.meter?.add(result);
      logger.debug(
        { purpose: request.purpose, provider: provider.name, model: result.model, cached, attempts: result.attempts, latencyMs: Math.round(result.latencyMs), tokensIn: result.usage.inputTokens, tokensOut: result.usage.outputTokens, cost: result.cost },
        'llm-call',
      );
      return result;
    },

    async invalidate(result: CompletionResult): Promise<void> {
      if (result.cacheKey === null || cache === null) return;
      await cache.delete(result.cacheKey);
      logger.debug({ cacheKey: result.cacheKey }, 'llm-cache-evicted');
    },

    usage: () => ({ ...runMeter.totals }),
    failedCalls: () => failed,

    async close(): Promise<void> {
      if (ownLimiter) limiter.close();
      if (ownCache) await cache?.close();
    },
  };
}

/** Only transient failures move on to the next model; a refusal (key, model, request) stops the run. */
function shouldFallBack(error: unknown): boolean {
  return error instanceof LlmUnavailableError || error instanceof LlmTimeoutError;
}

/** Applies role → model and the configured defaults; redacts secrets from what is sent. */
function prepareRequest(request: CompletionRequest, config: Config, models: RoleModels, secrets: readonly string[]): SendRequest {
  const llm = config.llm;
  if (request.role !== 'main' && request.role !== 'light') throw new LlmRequestError(`complete(): role must be "main" or "light", received ${JSON.stringify(request.role)} (purpose ${request.purpose}).`);
  if (request.messages.length === 0) throw new LlmRequestError(`complete(): at least one message is required (purpose ${request.purpose}).`);
  const temperature = request.temperature ?? llm.temperature;
  if (!(temperature >= 0 && temperature <= 2)) throw new LlmRequestError(`complete(): temperature must be between 0 and 2, received ${temperature} (purpose ${request.purpose}).`);
  const maxTokens = request.maxTokens ?? llm.maxTokens;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new LlmRequestError(`complete(): maxTokens must be a positive integer, received ${maxTokens} (purpose ${request.purpose}).`);
  const blocks = typeof request.system === 'string' ? null : request.system.map((block) => ({ text: redactSecrets(block.text, secrets), ...(block.cache ? { cache: true } : {}) }));
  const responseFormat = request.responseFormat ?? 'text';
  return {
    model: request.model ?? models[request.role],
    system: blocks === null ? redactSecrets(request.system as string, secrets) : blocks.map((block) => block.text).join(''),
    ...(blocks === null ? {} : { systemBlocks: blocks }),
    messages: request.messages.map((message) => ({ role: message.role, content: redactSecrets(message.content, secrets) })),
    temperature,
    maxTokens,
    responseFormat,
    ...(responseFormat === 'json' && request.responseSchema !== undefined ? { responseSchema: request.responseSchema } : {}),
    purpose: request.purpose,
  };
}

/** USD: uncached input, cache reads and writes and output at their prices per million tokens,
 *  looked up by the model that answered, then the one requested. */
export function costOf(config: Config, provider: string, answeredModel: string, requestedModel: string, usage: TokenUsage): number {
  const price = priceOf(config, provider, answeredModel) ?? priceOf(config, provider, requestedModel);
  if (price === undefined) return 0;
  const cachedRead = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cachedRead - cacheWrite);
  return (uncached * price.input + cachedRead * (price.cachedInput ?? price.input) + cacheWrite * (price.cacheWrite ?? price.input) + usage.outputTokens * price.output) / 1_000_000;
}
