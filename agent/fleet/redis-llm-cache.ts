// The `llm` cache namespace in Redis (keyv + @keyv/redis), shared by every worker of the fleet:
// an identical request from any machine is answered from it. Keys are
// `hephaestus:fleet:llm::<request key>` (LLM_CACHE_NAMESPACE; keyv adds the "::"). Same contract
// as the SQLite one (values read back through zod; an unreadable entry counts as absent and is
// dropped); each run stores with its own `llm.cache.ttlMs`, as a Redis expiry on the key.
import { createKeyv } from '@keyv/redis';
import { llmCacheOver, type LlmCache } from '../llm/llm-cache.js';
import { LLM_CACHE_NAMESPACE } from './fleet-keys.js';

export interface SharedLlmCache {
  /** The cache as one run uses it: what it stores expires after `ttlMs` (null: kept until cleared).
   *  Its close() leaves the connection open: the worker closes it once. */
  forRun(ttlMs: number | null): LlmCache;
  close(): Promise<void>;
}

export function openRedisLlmCache(redisUrl: string): SharedLlmCache {
  const store = createKeyv(redisUrl, { namespace: LLM_CACHE_NAMESPACE, throwOnConnectError: true });
  store.on('error', () => {
    // Errors surface through the rejected promise of the call that caused them.
  });
  return {
    forRun(ttlMs) {
      return { ...llmCacheOver(store, ttlMs), close: async () => undefined };
    },
    close: () => store.disconnect(),
  };
}
