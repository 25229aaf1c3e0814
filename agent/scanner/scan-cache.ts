// The persistent scan cache (keyv namespace `scan`): one entry per file analysis, keyed by
// scanner version + relative path + content hash (+ the digest of the `.env` values it was
// redacted for), so an edit, a scanner upgrade or a changed `.env` misses.
import type Keyv from 'keyv';
import { z } from 'zod';
import type { FileAnalysis } from './scan-types.js';

/** Bump when the analysis changes shape or meaning; old entries then never match. */
export const SCANNER_VERSION = 'scan-3';

const LOOKUP_CHUNK = 500;

/** `redactionKey` (redactionKeyOf): the `.env` values the analysis was redacted for; '' for none. */
export function scanCacheKey(relativePath: string, contentHash: string, redactionKey = ''): string {
  return `${SCANNER_VERSION}:${relativePath}:${contentHash}${redactionKey === '' ? '' : `:${redactionKey}`}`;
}

// Entries are read back from disk: anything without this shape counts as a miss. The check is
// shallow on purpose: a deep one cost as much as JSON.parse itself on a warm 2,000-file scan,
// and entries are only ever written by this module under a versioned key.
const list = z.custom<unknown[]>((value) => Array.isArray(value));
const fileAnalysisSchema = z.object({
  lines: z.number(),
  summary: z.string().optional(),
  todos: list,
  symbols: list,
  functions: list,
  syntaxErrors: list,
  imports: list,
});

// Values are stored as JSON text: keyv's own serializer walks every nested value looking for
// binary data, which made reading 2,000 analyses several times slower than JSON.parse.
function decode(value: unknown): FileAnalysis | undefined {
  if (typeof value !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  return fileAnalysisSchema.safeParse(parsed).success ? (parsed as FileAnalysis) : undefined;
}

/** Looks every key up in a few batched queries; invalid entries come back as undefined. */
export async function readCachedAnalyses(cache: Keyv, keys: readonly string[]): Promise<Array<FileAnalysis | undefined>> {
  const found: Array<FileAnalysis | undefined> = [];
  for (let start = 0; start < keys.length; start += LOOKUP_CHUNK) {
    const values = await cache.getMany<unknown>(keys.slice(start, start + LOOKUP_CHUNK));
    for (const value of values) found.push(decode(value));
  }
  return found;
}

interface SqliteStore {
  query(sql: string): Promise<unknown>;
}

/**
 * Writes the entries; on the SQLite store, inside one transaction, because the store has no
 * batch write and a commit per entry costs a disk sync each (about 1 ms per file).
 */
export async function writeCachedAnalyses(cache: Keyv, entries: ReadonlyArray<{ key: string; value: FileAnalysis }>): Promise<void> {
  if (entries.length === 0) return;
  const store = cache.store as Partial<SqliteStore> | undefined;
  const sqlite = typeof store?.query === 'function' && entries.length > 1 ? (store as SqliteStore) : null;
  if (sqlite === null) {
    await Promise.all(entries.map((entry) => cache.set(entry.key, JSON.stringify(entry.value))));
    return;
  }
  await sqlite.query('BEGIN IMMEDIATE');
  try {
    await Promise.all(entries.map((entry) => cache.set(entry.key, JSON.stringify(entry.value))));
    await sqlite.query('COMMIT');
  } catch (error) {
    await sqlite.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
