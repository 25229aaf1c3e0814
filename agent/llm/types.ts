// The LLM client contract every role (Architect, objectives, Maestro, review, commit
// messages) codes against. Providers, cache, limiter and retries live behind it.
import type { ResponseSchema } from './response-schema.js';

export type { ResponseSchema };

/** main: Architect and objectives; light: Maestro, review, commit messages. */
export type ModelRole = 'main' | 'light';

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** A part of the system prompt; `cache: true` ends a block the provider may cache as a prefix
 *  (an Anthropic cache_control breakpoint; OpenAI caches prefixes on its own). */
export interface PromptBlock {
  text: string;
  cache?: boolean;
}

export interface CompletionRequest {
  role: ModelRole;
  /** Overrides the model configured for the role. */
  model?: string;
  /** The system prompt: one text, or blocks in order (static first) joined without separators. */
  system: string | readonly PromptBlock[];
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  /** json: ask the provider for a JSON object when it supports it. */
  responseFormat?: 'json' | 'text';
  /** With responseFormat json: the reply's JSON Schema, sent through the provider's structured-output mode. */
  responseSchema?: ResponseSchema;
  /** What the call is for (architect, objective, maestro, review, commit-message); logs and accounting. */
  purpose: string;
  /** Accumulates usage for one scope (a cycle); its limits are checked before each call. */
  meter?: UsageMeter;
  /** false: neither read nor write the cache and never share the call (e.g. independent candidates). */
  cache?: boolean;
  signal?: AbortSignal;
}

export interface TokenUsage {
  /** Every input token, including those read from or written to the provider's prompt cache. */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the prompt cache (Anthropic cache_read_input_tokens, OpenAI cached_tokens). */
  cachedInputTokens?: number;
  /** Input tokens written to the prompt cache (Anthropic cache_creation_input_tokens). */
  cacheWriteTokens?: number;
}

export interface CompletionResult {
  text: string;
  model: string;
  usage: TokenUsage;
  /** Cost in USD from the price table; 0 when the model has no price. */
  cost: number;
  cached: boolean;
  latencyMs: number;
  /** HTTP attempts made (0 for a cache hit). */
  attempts: number;
  /** Key of the cache entry that served or stored this reply; null when not cached. */
  cacheKey: string | null;
}

export interface UsageTotals {
  calls: number;
  cacheHits: number;
  tokensIn: number;
  tokensOut: number;
  /** Of tokensIn, those read from the provider's prompt cache. */
  cachedTokensIn: number;
  /** USD. */
  cost: number;
}

/** A scope of accounting (one cycle); the client adds every call's usage to it. */
export interface UsageMeter {
  readonly totals: UsageTotals;
  /** Token budget for this scope; null for none. */
  readonly tokenLimit: number | null;
  add(result: CompletionResult): void;
}

export interface LlmClient {
  /** The provider actually in use (after `auto` resolution). */
  readonly provider: string;
  /** The model each role uses unless a request names one (configured, else the provider's default). */
  readonly models: { readonly main: string; readonly light: string };
  complete(request: CompletionRequest): Promise<CompletionResult>;
  /** Drops the cache entry of a reply that later failed validation. */
  invalidate(result: CompletionResult): Promise<void>;
  /** Usage of the whole run (every call of this client). */
  usage(): UsageTotals;
  /** Calls of the whole run that ended in an error (after retries and fallbacks); aborted ones excluded. */
  failedCalls(): number;
  close(): Promise<void>;
}
