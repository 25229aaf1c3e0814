// What `hephaestus cache stats|clear` reports and does: per namespace, the entries, the bytes
// they take, and the lookups that hit or missed since the last clear. A cache that cannot be
// read (the file does not open, the SQLite module does not load) is reported, not thrown.
import { stat } from 'node:fs/promises';
import { CACHE_NAMESPACES, CACHE_STATS_TABLE, CACHE_TABLE, cacheFileOf, describeCacheFailure, ensureStatsTable, openCacheStore, type CacheFailure, type CacheNamespace } from './open-cache.js';

export interface NamespaceStats {
  entries: number;
  hits: number;
  misses: number;
  /** Bytes of keys and values (UTF-8) in the namespace. */
  bytes: number;
}

export interface CacheStatsReport {
  file: string;
  /** Size of cache.sqlite on disk; 0 when it does not exist yet. */
  fileBytes: number;
  namespaces: Record<CacheNamespace, NamespaceStats>;
  /** Why the cache could not be read (its namespaces are then empty), or null. */
  unavailable: CacheFailure | null;
}

const emptyStats = (): NamespaceStats => ({ entries: 0, hits: 0, misses: 0, bytes: 0 });

export async function readCacheStats(stateDir: string): Promise<CacheStatsReport> {
  const file = cacheFileOf(stateDir);
  const namespaces = Object.fromEntries(CACHE_NAMESPACES.map((namespace) => [namespace, emptyStats()])) as Record<CacheNamespace, NamespaceStats>;
  const fileBytes = await fileSize(file);
  if (fileBytes === null) return { file, fileBytes: 0, namespaces, unavailable: null };
  try {
    await readNamespaces(stateDir, namespaces);
  } catch (error) {
    const empty = Object.fromEntries(CACHE_NAMESPACES.map((namespace) => [namespace, emptyStats()])) as Record<CacheNamespace, NamespaceStats>;
    return { file, fileBytes, namespaces: empty, unavailable: describeCacheFailure(stateDir, error) };
  }
  return { file, fileBytes: (await fileSize(file)) ?? 0, namespaces, unavailable: null };
}

async function readNamespaces(stateDir: string, namespaces: Record<CacheNamespace, NamespaceStats>): Promise<void> {
  const store = await openCacheStore(stateDir);
  try {
    await ensureStatsTable(store);
    for (const namespace of CACHE_NAMESPACES) {
      const [size] = (await store.query(
        `SELECT COUNT(*) AS entries, COALESCE(SUM(LENGTH(CAST(key AS BLOB)) + LENGTH(CAST(value AS BLOB))), 0) AS bytes FROM ${CACHE_TABLE} WHERE key LIKE ?`,
        `${namespace}:%`,
      )) as Array<{ entries: number; bytes: number }>;
      const [lookups] = (await store.query(`SELECT hits, misses FROM ${CACHE_STATS_TABLE} WHERE namespace = ?`, namespace)) as Array<{ hits: number; misses: number }>;
      namespaces[namespace] = { entries: size?.entries ?? 0, hits: lookups?.hits ?? 0, misses: lookups?.misses ?? 0, bytes: size?.bytes ?? 0 };
    }
  } finally {
    await store.disconnect().catch(() => undefined);
  }
}

/** Deletes every entry of the namespaces and resets their counters; returns entries removed. */
export async function clearCache(stateDir: string, namespaces: readonly CacheNamespace[] = CACHE_NAMESPACES): Promise<Record<CacheNamespace, number>> {
  const removed = Object.fromEntries(namespaces.map((namespace) => [namespace, 0])) as Record<CacheNamespace, number>;
  if ((await fileSize(cacheFileOf(stateDir))) === null) return removed;
  const store = await openCacheStore(stateDir);
  try {
    await ensureStatsTable(store);
    for (const namespace of namespaces) {
      const [count] = (await store.query(`SELECT COUNT(*) AS entries FROM ${CACHE_TABLE} WHERE key LIKE ?`, `${namespace}:%`)) as Array<{ entries: number }>;
      await store.query(`DELETE FROM ${CACHE_TABLE} WHERE key LIKE ?`, `${namespace}:%`);
      await store.query(`DELETE FROM ${CACHE_STATS_TABLE} WHERE namespace = ?`, namespace);
      removed[namespace] = count?.entries ?? 0;
    }
  } finally {
    await store.disconnect();
  }
  return removed;
}

async function fileSize(file: string): Promise<number | null> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
