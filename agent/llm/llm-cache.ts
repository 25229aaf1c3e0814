// The `llm` namespace of the persistent cache: replies by request key, read back through zod
// (a value from disk is a trust boundary), with an optional time to live.
import { z } from 'zod';
import type Keyv from 'keyv';
import { openCache, type CountedCache } from '../cache/open-cache.js';

const cachedReplySchema = z.object({
  text: z.string(),
  model: z.string(),
  usage: z.object({ inputTokens: z.number().int().min(0), outputTokens: z.number().int().min(0) }),
  storedAt: z.number(),
});

export type CachedReply = z.infer<typeof cachedReplySchema>;

export interface LlmCache {
  /** The reply stored under `key`; an unreadable entry counts as absent and is dropped. */
  get(key: string): Promise<CachedReply | undefined>;
  set(key: string, reply: CachedReply): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

export async function openLlmCache(stateDir: string, ttlMs: number | null): Promise<LlmCache> {
  const cache: CountedCache = await openCache(stateDir, 'llm');
  return llmCacheOver(cache, ttlMs);
}

/** The LlmCache contract over any keyv store (SQLite here, Redis for a fleet). */
export function llmCacheOver(cache: Keyv, ttlMs: number | null): LlmCache {
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
