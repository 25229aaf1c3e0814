// The provider contract: what an LLM provider (a model behind some wire protocol) receives
// and returns. A leaf module: the client, the built-in providers and users' own providers
// import it; it imports nothing of the agent but the shared types.
import type { Logger } from 'pino';
import type { ApiKeys } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
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
  /** What the call is for (CompletionRequest.purpose), for logs. */
  purpose?: string;
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
  /** Throws the SDK's errors as they are; the client classifies and retries them. */
  send(request: ProviderRequest): Promise<ProviderReply>;
}

export interface ProviderContext {
  config: Config;
  apiKeys: ApiKeys;
  logger: Logger;
}

export type ProviderFactory = (context: ProviderContext) => LlmProvider | Promise<LlmProvider>;
