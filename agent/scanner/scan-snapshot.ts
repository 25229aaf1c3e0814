// A whole-scan snapshot per root. When every file's path, status, size and content hash (the
// stat index vouches for unchanged files without reading them), the scanner settings and the
// tsconfig path mapping are what the last recorded scan saw, the result is read back in one
// piece instead of file by file. A scan that found nothing to parse records it.
import { createHash } from 'node:crypto';
import type Keyv from 'keyv';
import type { Config } from '../config/schema.js';
import type { SourceRead } from './read-source-file.js';
import { SCANNER_VERSION } from './scan-cache.js';
import type { ImportGraph, ScannedFile } from './scan-types.js';

export interface ScanSnapshot {
  inputsHash: string;
  files: ScannedFile[];
  graph: ImportGraph;
}

function snapshotKey(root: string): string {
  return `${SCANNER_VERSION}:snapshot:${createHash('sha256').update(root).digest('hex').slice(0, 16)}`;
}

/** Everything the scan result depends on, hashed. */
export function scanInputsHash(
  paths: readonly string[],
  reads: readonly SourceRead[],
  settings: { config: Pick<Config, 'scanner' | 'validation'>; mapping: unknown },
): string {
  const hash = createHash('sha256');
  hash.update(`${SCANNER_VERSION}\n${JSON.stringify(settings.config.scanner)}\n${JSON.stringify(settings.config.validation.tests.files)}\n${JSON.stringify(settings.mapping)}\n`);
  reads.forEach((read, position) => {
    if (read.status === 'missing') return;
    hash.update(`${paths[position]}\0${read.status}\0${read.bytes}\0${read.status === 'text' ? read.hash : ''}\n`);
  });
  return hash.digest('hex');
}

interface SqliteStore {
  query(sql: string, ...parameters: unknown[]): Promise<Array<{ value: string }>>;
  opts: { table: string };
}

/** The SQLite store behind `cache`, used directly so a 3 MB snapshot is parsed once (keyv
 *  would stringify it into its envelope and parse it back with a reviver). */
function sqliteStoreOf(cache: Keyv): SqliteStore | null {
  const store = cache.store as Partial<SqliteStore> | undefined;
  return typeof store?.query === 'function' && typeof store.opts?.table === 'string' ? (store as SqliteStore) : null;
}

function storedKey(cache: Keyv, root: string): string {
  return cache.namespace ? `${cache.namespace}:${snapshotKey(root)}` : snapshotKey(root);
}

/** The snapshot of `root` if it was recorded for exactly these inputs, else null. */
export async function loadScanSnapshot(cache: Keyv, root: string, inputsHash: string): Promise<ScanSnapshot | null> {
  const store = sqliteStoreOf(cache);
  if (store === null) return null;
  // The inputs hash has a small row of its own: a stale snapshot is rejected without fetching it.
  const recorded = await store.query(`SELECT value FROM ${store.opts.table} WHERE key = ?`, `${storedKey(cache, root)}:inputs`);
  if (recorded[0]?.value !== JSON.stringify({ value: inputsHash })) return null;
  const rows = await store.query(`SELECT value FROM ${store.opts.table} WHERE key = ?`, storedKey(cache, root));
  const stored = rows[0]?.value;
  if (typeof stored !== 'string' || !stored.startsWith(`{"value":{"inputsHash":"${inputsHash}"`)) return null;
  try {
    const parsed = (JSON.parse(stored) as { value?: Partial<ScanSnapshot> }).value;
    if (!parsed || parsed.inputsHash !== inputsHash || !Array.isArray(parsed.files) || typeof parsed.graph !== 'object' || parsed.graph === null) return null;
    return parsed as ScanSnapshot;
  } catch {
    return null;
  }
}

/** Records the snapshot in keyv's envelope format, so keyv itself can still read or clear it. */
export async function saveScanSnapshot(cache: Keyv, root: string, snapshot: ScanSnapshot): Promise<void> {
  const store = sqliteStoreOf(cache);
  if (store === null) return;
  const value = `{"value":${JSON.stringify({ inputsHash: snapshot.inputsHash, files: snapshot.files, graph: snapshot.graph })}}`;
  const upsert = `INSERT INTO ${store.opts.table} (key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`;
  await store.query(upsert, storedKey(cache, root), value);
  await store.query(upsert, `${storedKey(cache, root)}:inputs`, JSON.stringify({ value: snapshot.inputsHash }));
}
