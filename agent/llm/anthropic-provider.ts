// The `anthropic` provider: the Messages API through the official SDK, with the SDK's own
// retries off (the client's retry loop handles them). The Messages API of this SDK takes no
// sampling temperature, so `temperature` only shapes the cache key for this provider.
// A system prompt in blocks gets a cache_control breakpoint after each block marked `cache`;
// a role with a schema asks for it through output_config.format.
import Anthropic from '@anthropic-ai/sdk';
import { boundedFetch } from './bounded-fetch.js';
import { LlmProviderUnavailableError } from './llm-errors.js';
import type { LlmProvider, ProviderContext, ProviderReply, ProviderRequest } from './provider.js';
import { MalformedReplyError } from './retry-policy.js';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

export function createAnthropicProvider(context: ProviderContext): LlmProvider {
  const { baseUrl, timeoutMs } = context.config.llm;
  const apiKey = context.apiKeys.anthropic;
  if (apiKey === null) {
    throw new LlmProviderUnavailableError('anthropic', 'LLM provider "anthropic" needs an API key: set ANTHROPIC_API_KEY (or the variable named in llm.apiKeyEnv).');
  }
  const baseURL = (baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const client = new Anthropic({ apiKey, baseURL, maxRetries: 0, timeout: timeoutMs + 1_000, logLevel: 'off', openTelemetry: false, fetch: boundedFetch(context.config.llm.maxReplyBytes) });

  return {
    name: 'anthropic',
    url: `${baseURL}/v1/messages`,
    async send(request: ProviderRequest): Promise<ProviderReply> {
      const response: unknown = await client.messages.create(
        {
          model: request.model,
          system: systemOf(request),
          messages: request.messages,
          max_tokens: request.maxTokens,
          ...(request.responseFormat === 'json' && request.responseSchema !== undefined ? { output_config: { format: { type: 'json_schema' as const, schema: request.responseSchema.schema } } } : {}),
        },
        { signal: request.signal },
      );
      return readMessage(response, request);
    },
  };
}

function systemOf(request: ProviderRequest) {
  if (request.systemBlocks === undefined) return request.system;
  return request.systemBlocks
    .filter((block) => block.text !== '')
    .map((block) => ({ type: 'text' as const, text: block.text, ...(block.cache ? { cache_control: { type: 'ephemeral' as const } } : {}) }));
}

interface MessageShape {
  model?: unknown;
  content?: Array<{ type?: unknown; text?: unknown }>;
  usage?: { input_tokens?: unknown; output_tokens?: unknown; cache_read_input_tokens?: unknown; cache_creation_input_tokens?: unknown };
}

function readMessage(response: unknown, request: ProviderRequest): ProviderReply {
  if (typeof response !== 'object' || response === null) {
    throw new MalformedReplyError(`expected a message object, received ${response === undefined || response === '' ? 'an empty body' : typeof response}`);
  }
  const message = response as MessageShape;
  if (!Array.isArray(message.content)) throw new MalformedReplyError('the message has no content array');
  const texts = message.content.filter((block) => block.type === 'text' && typeof block.text === 'string').map((block) => block.text as string);
  if (texts.length === 0) throw new MalformedReplyError('the message has no text content block');
  const usage = message.usage;
  if (typeof usage?.input_tokens !== 'number' || typeof usage.output_tokens !== 'number') throw new MalformedReplyError('the message has no usage.input_tokens / usage.output_tokens');
  return {
    text: texts.join(''),
    model: typeof message.model === 'string' && message.model !== '' ? message.model : request.model,
    usage: usageOf(usage as Required<MessageShape>['usage'] & { input_tokens: number; output_tokens: number }),
  };
}

/** input_tokens excludes what was read from or written to the cache; inputTokens counts all of it. */
function usageOf(usage: Required<MessageShape>['usage'] & { input_tokens: number; output_tokens: number }): ProviderReply['usage'] {
  const read = typeof usage.cache_read_input_tokens === 'number' ? usage.cache_read_input_tokens : 0;
  const written = typeof usage.cache_creation_input_tokens === 'number' ? usage.cache_creation_input_tokens : 0;
  return {
    inputTokens: usage.input_tokens + read + written,
    outputTokens: usage.output_tokens,
    ...(read > 0 ? { cachedInputTokens: read } : {}),
    ...(written > 0 ? { cacheWriteTokens: written } : {}),
  };
}
