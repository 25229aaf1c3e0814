// The `openai` provider: any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama's /v1,
// vLLM, llama.cpp server, LM Studio, OpenRouter) through the official SDK. The SDK's own
// retries are off: the client's retry loop classifies, backs off and honours Retry-After.
import OpenAI from 'openai';
import { boundedFetch } from './bounded-fetch.js';
import { LlmProviderUnavailableError } from './llm-errors.js';
import type { LlmProvider, ProviderContext, ProviderReply, ProviderRequest } from './provider.js';
import { MalformedReplyError } from './retry-policy.js';
import { estimateTokens } from './token-estimate.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Local servers need no key, but the SDK wants one; this placeholder is not a secret. */
const KEYLESS_PLACEHOLDER = 'not-needed';

export function createOpenAiProvider(context: ProviderContext): LlmProvider {
  const { baseUrl, timeoutMs } = context.config.llm;
  const apiKey = context.apiKeys.openai;
  if (apiKey === null && baseUrl === null) {
    throw new LlmProviderUnavailableError('openai', 'LLM provider "openai" needs an API key: set OPENAI_API_KEY (or the variable named in llm.apiKeyEnv), or set llm.baseUrl to a local OpenAI-compatible server.');
  }
  const baseURL = (baseUrl ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const client = new OpenAI({ apiKey: apiKey ?? KEYLESS_PLACEHOLDER, baseURL, maxRetries: 0, timeout: timeoutMs + 1_000, logLevel: 'off', fetch: boundedFetch(context.config.llm.maxReplyBytes) });
  // OpenAI's own API wants max_completion_tokens for newer models; compatible servers know max_tokens.
  const isOpenAiItself = new URL(baseURL).hostname === 'api.openai.com';

  return {
    name: 'openai',
    url: `${baseURL}/chat/completions`,
    async send(request: ProviderRequest): Promise<ProviderReply> {
      const response: unknown = await client.chat.completions.create(
        {
          model: request.model,
          messages: [{ role: 'system', content: request.system }, ...request.messages],
          temperature: request.temperature,
          ...(isOpenAiItself ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }),
          ...responseFormatOf(request),
        },
        { signal: request.signal },
      );
      return readChatCompletion(response, request);
    },
  };
}

/** json_schema with strict for a role with a schema, json_object for other JSON, nothing for text. */
function responseFormatOf(request: ProviderRequest) {
  if (request.responseFormat !== 'json') return {};
  if (request.responseSchema === undefined) return { response_format: { type: 'json_object' as const } };
  return { response_format: { type: 'json_schema' as const, json_schema: { name: request.responseSchema.name, schema: request.responseSchema.schema, strict: true } } };
}

interface ChatCompletionShape {
  model?: unknown;
  choices?: Array<{ message?: { content?: unknown } }>;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown; prompt_tokens_details?: { cached_tokens?: unknown } | null } | null;
}

function readChatCompletion(response: unknown, request: ProviderRequest): ProviderReply {
  if (typeof response !== 'object' || response === null) {
    throw new MalformedReplyError(`expected a chat completion object, received ${response === undefined || response === '' ? 'an empty body' : typeof response}`);
  }
  const completion = response as ChatCompletionShape;
  const content = Array.isArray(completion.choices) ? completion.choices[0]?.message?.content : undefined;
  if (typeof content !== 'string') throw new MalformedReplyError('the chat completion has no choices[0].message.content text');
  const usage = completion.usage;
  return {
    text: content,
    model: typeof completion.model === 'string' && completion.model !== '' ? completion.model : request.model,
    usage: {
      inputTokens: typeof usage?.prompt_tokens === 'number' ? usage.prompt_tokens : estimateTokens(request.system, ...request.messages.map((message) => message.content)),
      outputTokens: typeof usage?.completion_tokens === 'number' ? usage.completion_tokens : estimateTokens(content),
      // prompt_tokens already counts the cached ones.
      ...(typeof usage?.prompt_tokens_details?.cached_tokens === 'number' && usage.prompt_tokens_details.cached_tokens > 0 ? { cachedInputTokens: usage.prompt_tokens_details.cached_tokens } : {}),
    },
  };
}
