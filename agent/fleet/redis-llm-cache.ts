// The `llm` cache namespace in Redis (keyv + @keyv/redis), shared by every worker of the fleet:
// an identical request from any machine is answered from it. Same contract as the SQLite one:
// values are read back through zod; an unreadable entry counts as absent and is dropped.
import { createKeyv } from '@keyv/redis';
import { cachedReplySchema, type LlmCache } from '../llm/llm-cache.js';
import { LLM_CACHE_NAMESPACE } from './fleet-keys.js';

export function openRedisLlmCache(redisUrl: string, ttlMs: number | null = null): LlmCache {
  const cache = createKeyv(redisUrl, { namespace: LLM_CACHE_NAMESPACE, throwOnConnectError: true });
  cache.on('error', () => {
    // Errors surface through the rejected promise of the call that caused them.
  });
  return {
    async get(key) {
      const stored = await cache.get(key);
      if (stored === undefined) return undefined;
      const parsed = cachedReplySchema.safeParse(stored);
      if (parsed.success) return parsed.data;
      await cache.delete(key);
      return undefined;
    },
    async set(key, reply) {
      await cache.set(key, reply, ttlMs ?? undefined);
    },
    async delete(key) {
      await cache.delete(key);
    },
    close: () => cache.disconnect(),
  };
}
