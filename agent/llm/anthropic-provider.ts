// The `anthropic` provider: the Messages API through the official SDK, with the SDK's own
// retries off (the client's retry loop handles them). The Messages API of this SDK takes no
// sampling temperature, so `temperature` only shapes the cache key for this provider.
import Anthropic from '@anthropic-ai/sdk';
import { LlmProviderUnavailableError } from './llm-errors.js';
import type { LlmProvider, ProviderContext, ProviderReply, ProviderRequest } from './provider-registry.js';
import { MalformedReplyError } from './retry-policy.js';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

export function createAnthropicProvider(context: ProviderContext): LlmProvider {
  const { baseUrl, timeoutMs } = context.config.llm;
  const apiKey = context.apiKeys.anthropic;
  if (apiKey === null) {
    throw new LlmProviderUnavailableError('anthropic', 'LLM provider "anthropic" needs an API key: set ANTHROPIC_API_KEY (or the variable named in llm.apiKeyEnv).');
  }
  const baseURL = (baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const client = new Anthropic({ apiKey, baseURL, maxRetries: 0, timeout: timeoutMs + 1_000, logLevel: 'off', openTelemetry: false });

  return {
    name: 'anthropic',
    url: `${baseURL}/v1/messages`,
    async send(request: ProviderRequest): Promise<ProviderReply> {
      const response: unknown = await client.messages.create(
        {
          model: request.model,
          system: request.system,
          messages: request.messages,
          max_tokens: request.maxTokens,
        },
        { signal: request.signal },
      );
      return readMessage(response, request);
    },
  };
}

interface MessageShape {
  model?: unknown;
  content?: Array<{ type?: unknown; text?: unknown }>;
  usage?: { input_tokens?: unknown; output_tokens?: unknown };
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
    usage: { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens },
  };
}
