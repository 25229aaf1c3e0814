// The LLM cache key (DESIGN.md §6): sha256 over everything that shapes a reply. The key is a
// hash, so neither prompts nor endpoints can be read back from it.
import { createHash } from 'node:crypto';
import type { ChatMessage } from './types.js';

export interface CacheKeyParts {
  provider: string;
  baseUrl: string | null;
  model: string;
  temperature: number;
  maxTokens: number;
  system: string;
  messages: readonly ChatMessage[];
  responseFormat: 'json' | 'text';
  responseSchema?: { name: string; schema: unknown } | undefined;
}

export function llmCacheKey(parts: CacheKeyParts): string {
  // A fixed field order, so the same request always serialises the same way.
  const canonical = JSON.stringify([
    parts.provider,
    parts.baseUrl,
    parts.model,
    parts.temperature,
    parts.maxTokens,
    parts.system,
    parts.messages.map((message) => [message.role, message.content]),
    parts.responseFormat,
    // Absent for plain requests, so their keys stay as they were.
    ...(parts.responseSchema === undefined ? [] : [parts.responseSchema]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
