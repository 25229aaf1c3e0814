// The persistent caches: keyv over one SQLite file, `.hephaestus/cache.sqlite`, one namespace
// per use (`llm`, `scan`). Each namespace gets its own connection to the same file.
// Lookups are counted per namespace and added to a stats table when the cache is disconnected
// (or on flushStats()), so `hephaestus cache stats` shows hits and misses across runs.
// The SQLite module (a native binding) loads only when a cache opens, and the caches are
// optional: openOptionalCache() falls back to memory when the file cannot be opened.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type KeyvSqlite from '@keyv/sqlite';
import Keyv, { KeyvHooks } from 'keyv';
import { HephaestusError } from '../core/errors.js';

export const CACHE_FILE_NAME = 'cache.sqlite';
export const CACHE_TABLE = 'keyv';
export const CACHE_STATS_TABLE = 'hephaestus_cache_stats';
export const CACHE_NAMESPACES = ['llm', 'scan'] as const;
export type CacheNamespace = (typeof CACHE_NAMESPACES)[number];

const BUSY_TIMEOUT_MS = 10_000;

export function cacheFileOf(stateDir: string): string {
  return path.join(stateDir, CACHE_FILE_NAME);
}

/** The persistent cache cannot be used: the SQLite module does not load, or the file does not open. */
export class CacheUnavailableError extends HephaestusError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CACHE_UNAVAILABLE', message, options);
  }
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

async function loadSqliteStore(): Promise<typeof KeyvSqlite> {
  try {
    return (await import('@keyv/sqlite')).default;
  } catch (error) {
    throw new CacheUnavailableError(`the SQLite module does not load (${firstLine(error)}); reinstall with \`npm rebuild sqlite3\` (it needs a C++ toolchain when no prebuilt binary fits)`, { cause: error });
  }
}

/** The raw SQLite store under keyv; `query` runs SQL on its connection. */
export async function openCacheStore(stateDir: string): Promise<KeyvSqlite> {
  const Store = await loadSqliteStore();
  mkdirSync(stateDir, { recursive: true });
  const store = new Store({ uri: `sqlite://${cacheFileOf(stateDir)}`, table: CACHE_TABLE, busyTimeout: BUSY_TIMEOUT_MS });
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
  readonly #store: KeyvSqlite | null;
  // Counted through hooks: keyv's own stats count a whole getMany() as one hit.
  readonly #pending = { hits: 0, misses: 0 };

  /** Over `store`, or over memory (nothing kept after the process) when `store` is null. */
  constructor(store: KeyvSqlite | null, namespace: CacheNamespace) {
    super(store === null ? { namespace } : { store, namespace });
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
    if (this.#store !== null) await recordLookups(this.#store, this.cacheNamespace, hits, misses);
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
export async function openCache<Value = unknown>(stateDir: string, namespace: CacheNamespace): Promise<CountedCache<Value>> {
  return quiet(new CountedCache<Value>(await openCacheStore(stateDir), namespace));
}

/** A namespace of the cache in memory only: what a run uses when the SQLite cache is unavailable. */
export function memoryCache<Value = unknown>(namespace: CacheNamespace): CountedCache<Value> {
  return quiet(new CountedCache<Value>(null, namespace));
}

/** Why the SQLite cache of `stateDir` cannot be used (a sentence naming the fix), or null when it opens. */
export async function cacheProblem(stateDir: string): Promise<string | null> {
  let store: KeyvSqlite | null = null;
  try {
    store = await openCacheStore(stateDir);
    await store.query('SELECT 1');
    return null;
  } catch (error) {
    return describeCacheFailure(stateDir, error).message;
  } finally {
    await store?.disconnect().catch(() => undefined);
  }
}

export interface CacheFailure {
  /** What went wrong, in a few words ("SQLITE_CANTOPEN: unable to open database file"). */
  reason: string;
  /** A sentence naming the file, the reason and the fix. */
  message: string;
}

/** What an error opening or reading the cache of `stateDir` means for the user. */
export function describeCacheFailure(stateDir: string, error: unknown): CacheFailure {
  if (error instanceof CacheUnavailableError) return { reason: firstLine(error.cause ?? error), message: `${error.message}.` };
  const reason = firstLine(error);
  return { reason, message: `the SQLite cache ${cacheFileOf(stateDir)} does not open (${reason}); make ${stateDir} writable, or remove the file if it is not a SQLite database.` };
}

/** The warning a command gives, once, when it runs without the persistent cache. */
export function cacheUnavailableWarning(problem: string): string {
  return `Running without the persistent cache: ${problem} Replies and scans are not kept between runs.`;
}

function quiet<Value>(cache: CountedCache<Value>): CountedCache<Value> {
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
