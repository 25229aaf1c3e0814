// The persistent caches: keyv over one SQLite file, `.hephaestus/cache.sqlite`, one namespace
// per use (`llm`, `scan`). Each namespace gets its own connection to the same file.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';

export const CACHE_FILE_NAME = 'cache.sqlite';
export const CACHE_TABLE = 'keyv';
export type CacheNamespace = 'llm' | 'scan';

export function cacheFileOf(stateDir: string): string {
  return path.join(stateDir, CACHE_FILE_NAME);
}

/** Opens one namespace of the cache; close it with `cache.disconnect()`. */
export function openCache<Value = unknown>(stateDir: string, namespace: CacheNamespace): Keyv<Value> {
  mkdirSync(stateDir, { recursive: true });
  const store = new KeyvSqlite({ uri: `sqlite://${cacheFileOf(stateDir)}`, table: CACHE_TABLE, busyTimeout: 10_000 });
  const cache = new Keyv<Value>({ store, namespace });
  cache.on('error', () => {
    // Errors surface through the rejected promise of the call that caused them.
  });
  return cache;
}
