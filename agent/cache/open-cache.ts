// The persistent caches: keyv over one SQLite file, `.hephaestus/cache.sqlite`, one namespace
// per use (`llm`, `scan`). Each namespace gets its own connection to the same file.
// Lookups are counted per namespace and added to a stats table when the cache is disconnected
// (or on flushStats()), so `hephaestus cache stats` shows hits and misses across runs.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { KeyvHooks } from 'keyv';

export const CACHE_FILE_NAME = 'cache.sqlite';
export const CACHE_TABLE = 'keyv';
export const CACHE_STATS_TABLE = 'hephaestus_cache_stats';
export const CACHE_NAMESPACES = ['llm', 'scan'] as const;
export type CacheNamespace = (typeof CACHE_NAMESPACES)[number];

const BUSY_TIMEOUT_MS = 10_000;

export function cacheFileOf(stateDir: string): string {
  return path.join(stateDir, CACHE_FILE_NAME);
}

/** The raw SQLite store under keyv; `query` runs SQL on its connection. */
export function openCacheStore(stateDir: string): KeyvSqlite {
  mkdirSync(stateDir, { recursive: true });
  const store = new KeyvSqlite({ uri: `sqlite://${cacheFileOf(stateDir)}`, table: CACHE_TABLE, busyTimeout: BUSY_TIMEOUT_MS });
  // Write-ahead logging: a commit appends to the log and, with NORMAL sync, does not wait for the
  // disk (a crash may lose the last commits of this cache, never the file), and readers do not
  // block the writer. The mode stays with the file; a connection that cannot switch (another
  // holds a lock) works in the default mode. Every query waits until this is settled.
  const query = store.query.bind(store);
  const ready = query('PRAGMA journal_mode = WAL')
    .then(() => query('PRAGMA synchronous = NORMAL'))
    .catch(() => undefined);
  store.query = async (sql: string, ...parameters: unknown[]) => {
    await ready;
    return query(sql, ...parameters);
  };
  return store;
}

/** A keyv namespace whose hit/miss counts persist in the stats table. */
export class CountedCache<Value = unknown> extends Keyv<Value> {
  readonly cacheNamespace: CacheNamespace;
  readonly #store: KeyvSqlite;
  // Counted through hooks: keyv's own stats count a whole getMany() as one hit.
  readonly #pending = { hits: 0, misses: 0 };

  constructor(store: KeyvSqlite, namespace: CacheNamespace) {
    super({ store, namespace });
    this.cacheNamespace = namespace;
    this.#store = store;
    this.hooks.addHandler(KeyvHooks.POST_GET, (data: { value: unknown }) => this.#count([data.value]));
    this.hooks.addHandler(KeyvHooks.POST_GET_MANY, (values: unknown[]) => this.#count(values));
  }

  /** Lookups counted in this process and not yet written to the stats table. */
  get pendingLookups(): { hits: number; misses: number } {
    return { ...this.#pending };
  }

  /** Adds the lookups counted since the last flush to the persistent totals. */
  async flushStats(): Promise<void> {
    const { hits, misses } = this.#pending;
    if (hits === 0 && misses === 0) return;
    this.#pending.hits = 0;
    this.#pending.misses = 0;
    await recordLookups(this.#store, this.cacheNamespace, hits, misses);
  }

  #count(values: readonly unknown[]): void {
    for (const value of values) {
      if (value === undefined || value === null) this.#pending.misses += 1;
      else this.#pending.hits += 1;
    }
  }

  override async disconnect(): Promise<void> {
    try {
      await this.flushStats();
    } catch {
      // Statistics are best effort; losing a count must not fail the command that closes.
    }
    await super.disconnect();
  }
}

/** Opens one namespace of the cache; close it with `cache.disconnect()`. */
export function openCache<Value = unknown>(stateDir: string, namespace: CacheNamespace): CountedCache<Value> {
  const cache = new CountedCache<Value>(openCacheStore(stateDir), namespace);
  cache.on('error', () => {
    // Errors surface through the rejected promise of the call that caused them.
  });
  return cache;
}

export async function ensureStatsTable(store: KeyvSqlite): Promise<void> {
  await store.query(`CREATE TABLE IF NOT EXISTS ${CACHE_STATS_TABLE}(namespace TEXT PRIMARY KEY, hits INTEGER NOT NULL DEFAULT 0, misses INTEGER NOT NULL DEFAULT 0)`);
}

async function recordLookups(store: KeyvSqlite, namespace: CacheNamespace, hits: number, misses: number): Promise<void> {
  await ensureStatsTable(store);
  await store.query(
    `INSERT INTO ${CACHE_STATS_TABLE}(namespace, hits, misses) VALUES(?, ?, ?)
     ON CONFLICT(namespace) DO UPDATE SET hits = hits + excluded.hits, misses = misses + excluded.misses`,
    namespace,
    hits,
    misses,
  );
}
