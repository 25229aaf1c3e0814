// LLM providers as plug-ins: a small interface, a Map registry and a factory by name.
// `openai` and `anthropic` are built in (their SDKs load lazily, on first use); the offline
// engine is built in under `offline` the same way; registerProvider() adds or replaces one.
import type { Logger } from 'pino';
import type { ApiKeys } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { LlmProviderUnavailableError } from './llm-errors.js';
import type { ChatMessage, PromptBlock, ResponseSchema, TokenUsage } from './types.js';

/** One HTTP-level call, after role → model resolution and defaults. */
export interface ProviderRequest {
  model: string;
  /** The whole system prompt as one text. */
  system: string;
  /** The same text in blocks, when the caller laid it out for prompt caching; providers that cache by breakpoint read it. */
  systemBlocks?: readonly PromptBlock[];
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  responseFormat: 'json' | 'text';
  /** The reply's JSON Schema for the provider's structured-output mode; absent: plain JSON mode. */
  responseSchema?: ResponseSchema;
  /** Aborts on the caller's signal and on the per-call timeout. */
  signal: AbortSignal;
  /** What the call is for (CompletionRequest.purpose). */
  purpose?: string;
  /** CompletionRequest.workspace, for in-process providers. */
  workspace?: string;
  /** CompletionRequest.skipObjectives, for in-process providers. */
  skipObjectives?: readonly string[];
}

export interface ProviderReply {
  text: string;
  /** The model that answered, as the provider reports it. */
  model: string;
  usage: TokenUsage;
}

export interface LlmProvider {
  readonly name: string;
  /** The endpoint, for errors and logs; never contains a key. */
  readonly url: string;
  /** An in-process engine: calls skip the rate limiter, the cache and retries. */
  readonly local?: boolean;
  /** Throws the SDK's errors as they are; the client classifies and retries them. */
  send(request: ProviderRequest): Promise<ProviderReply>;
}

export interface ProviderContext {
  config: Config;
  apiKeys: ApiKeys;
  logger: Logger;
}

export type ProviderFactory = (context: ProviderContext) => LlmProvider | Promise<LlmProvider>;

const factories = new Map<string, ProviderFactory>([
  ['openai', async (context) => (await import('./openai-provider.js')).createOpenAiProvider(context)],
  ['anthropic', async (context) => (await import('./anthropic-provider.js')).createAnthropicProvider(context)],
  // The offline engine loads ts-morph; importing it only when chosen keeps CLI start-up fast.
  ['offline', async (context) => (await import('../offline/offline-provider.js')).createOfflineProvider(context)],
]);

/** Registers (or replaces) a provider; returns a function restoring the previous one. */
export function registerProvider(name: string, factory: ProviderFactory): () => void {
  const previous = factories.get(name);
  factories.set(name, factory);
  return () => {
    if (previous === undefined) factories.delete(name);
    else factories.set(name, previous);
  };
}

export function registeredProviders(): string[] {
  return [...factories.keys()].sort();
}

/** `why` says how the name was chosen; it goes into the error when the provider is missing. */
export async function createProvider(name: string, context: ProviderContext, why = `llm.provider is "${name}"`): Promise<LlmProvider> {
  const factory = factories.get(name);
  if (factory !== undefined) return factory(context);
  throw new LlmProviderUnavailableError(name, `unknown LLM provider "${name}" (${why}); registered: ${registeredProviders().join(', ')}.`);
}
