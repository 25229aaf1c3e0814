// Which planner a run gets: one given by the caller; else the LLM planner over the given
// provider or the one `llm.provider` resolves to; planners that need no model (the offline
// engine) are looked up by that name first. Heavy planners load only when chosen.
import type { Logger } from 'pino';
import type { ApiKeys } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { createLlmClient } from '../llm/create-llm-client.js';
import type { LlmCache } from '../llm/llm-cache.js';
import type { RateLimiter } from '../llm/rate-limiter.js';
import type { SecretRedactor } from '../logging/secret-redactor.js';
import type { LlmProvider } from '../llm/provider.js';
import type { ProviderRegistry } from '../llm/provider-registry.js';
import { resolveProviderName } from '../llm/resolve-provider.js';
import { createLlmPlanner } from './llm-planner.js';
import type { Planner } from './planner.js';

export interface CreatePlannerOptions {
  config: Config;
  apiKeys: ApiKeys;
  repoRoot: string;
  /** `.hephaestus/` for the LLM cache; null runs without one. */
  stateDir: string | null;
  logger: Logger;
  providers: ProviderRegistry;
  provider?: LlmProvider;
  clock?: Clock;
  /** The run's redaction, shared with every other sink. */
  redactor?: SecretRedactor;
  /** An `llm` cache owned by the caller (e.g. shared in Redis), instead of the repository's. */
  llmCache?: LlmCache;
  /** A rate limiter owned by the caller, shared with other clients. */
  rateLimiter?: RateLimiter;
}

type PlannerFactory = (options: CreatePlannerOptions) => Promise<Planner>;

/** Planners that answer without a model, by the `llm.provider` name that selects them. */
const MODEL_FREE_PLANNERS = new Map<string, PlannerFactory>([
  // The offline engine loads ts-morph; importing it only when chosen keeps start-up fast.
  ['offline', async (options) => (await import('../offline/offline-planner.js')).createOfflinePlanner({ config: options.config, logger: options.logger })],
]);

export async function createPlanner(options: CreatePlannerOptions): Promise<Planner> {
  const { config, logger } = options;
  if (options.provider === undefined) {
    const choice = resolveProviderName(config, options.apiKeys);
    const modelFree = MODEL_FREE_PLANNERS.get(choice.name);
    if (modelFree) {
      if (config.llm.provider === 'auto') {
        logger.info({ planner: choice.name, reason: choice.reason }, `LLM provider: ${choice.name}, because ${choice.reason}; set OPENAI_API_KEY, ANTHROPIC_API_KEY or llm.baseUrl to use a model`);
      }
      return modelFree(options);
    }
  }
  const llm = await createLlmClient({
    config,
    apiKeys: options.apiKeys,
    stateDir: options.stateDir,
    logger,
    providers: options.providers,
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.redactor ? { redactor: options.redactor } : {}),
    ...(options.llmCache ? { cache: options.llmCache } : {}),
    ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
  });
  return createLlmPlanner({ config, repoRoot: options.repoRoot, llm });
}
