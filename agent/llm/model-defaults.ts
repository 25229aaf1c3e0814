// The models used when the configuration names none: each provider's current general model
// (Architect, objectives) and light model (Maestro, review, commit messages), and the USD price
// of each, per million tokens. Sources: the providers' model and pricing pages (Anthropic:
// docs.anthropic.com/en/docs/about-models/overview and /pricing; OpenAI:
// platform.openai.com/docs/models and openai.com/api/pricing), as published in November 2025.
// `llm.models` overrides the models and `llm.prices` the prices, model by model.
import type { Config } from '../config/schema.js';

export interface RoleModels {
  main: string;
  light: string;
}

export const DEFAULT_MODELS: Readonly<Record<'openai' | 'anthropic' | 'offline', RoleModels>> = {
  anthropic: { main: 'claude-sonnet-4-5', light: 'claude-haiku-4-5' },
  openai: { main: 'gpt-5', light: 'gpt-5-mini' },
  // The built-in engine has no models; the name only appears in logs and records.
  offline: { main: 'offline', light: 'offline' },
};

/** USD per million tokens. `cachedInput`: input read from the provider's prompt cache;
 *  `cacheWrite`: input written to it (Anthropic's 5-minute cache; OpenAI charges none). */
export interface ModelPrice {
  input: number;
  output: number;
  cachedInput?: number | undefined;
  cacheWrite?: number | undefined;
}

export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-haiku-4-5': { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
  'claude-opus-4-5': { input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
};

/** The models a run uses: configured ones, else the provider's defaults. */
export function modelsFor(config: Pick<Config, 'llm'>, provider: string): RoleModels {
  const defaults = DEFAULT_MODELS[provider as keyof typeof DEFAULT_MODELS] ?? DEFAULT_MODELS.openai;
  return { main: config.llm.models.main ?? defaults.main, light: config.llm.models.light ?? defaults.light };
}

/** The price of a model: `llm.prices` first, then the built-in table, which holds the prices of
 *  OpenAI's and Anthropic's own APIs (so it applies to those providers only); dated snapshot names
 *  (`claude-sonnet-4-5-20250929`, `gpt-5-2025-08-07`) fall back to their alias. */
export function priceOf(config: Pick<Config, 'llm'>, provider: string, model: string): ModelPrice | undefined {
  const alias = model.replace(/-\d{4}-?\d{2}-?\d{2}$/, '');
  const configured = config.llm.prices[model] ?? config.llm.prices[alias];
  if (configured !== undefined || (provider !== 'openai' && provider !== 'anthropic')) return configured;
  return DEFAULT_PRICES[model] ?? DEFAULT_PRICES[alias];
}
