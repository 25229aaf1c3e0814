// The `llm` cache namespace in Redis (keyv + @keyv/redis), shared by every worker of the fleet:
// an identical request from any machine is answered from it. Same contract as the SQLite one
// (values read back through zod; an unreadable entry counts as absent and is dropped).
import { createKeyv } from '@keyv/redis';
import { llmCacheOver, type LlmCache } from '../llm/llm-cache.js';
import { LLM_CACHE_NAMESPACE } from './fleet-keys.js';

export function openRedisLlmCache(redisUrl: string, ttlMs: number | null = null): LlmCache {
  const cache = createKeyv(redisUrl, { namespace: LLM_CACHE_NAMESPACE, throwOnConnectError: true });
  cache.on('error', () => {
    // Errors surface through the rejected promise of the call that caused them.
  });
  return llmCacheOver(cache, ttlMs);
}
