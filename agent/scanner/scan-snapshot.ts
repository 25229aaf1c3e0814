// A whole-scan snapshot per root: the result of the last full scan, the stat index it read
// files against, and a hash of the files' state: git's view of every tracked file (its blob, and
// whether the working tree still matches it) plus the lstat fingerprint of every file git does
// not vouch for. When that state and the settings are what the snapshot recorded (and no file is
// racy), the result is the snapshot's, read back without opening a file; otherwise the snapshot
// still vouches, file by file, for unchanged content and its analysis.
//
// It is stored as a small head row naming the ids of the import graph's row and, per bucket of
// files grouped by a hash of their path, of a row of files and a row of index entries: a scan
// that changed one file rewrites the head and one bucket, not the whole 2 MB, and a scan that
// takes the snapshot whole does not parse the index. A connection remembers the snapshot it last
// read or wrote for each root, so a later scan through it reads the head row and only the rows
// whose ids changed since (another process saved), not the whole snapshot again.
import { createHash, randomBytes } from 'node:crypto';
import type Keyv from 'keyv';
import { z } from 'zod';
import type { Config } from '../config/schema.js';
import { deepFreeze } from './deep-freeze.js';
import { isRacy, type FileIndex } from './file-index.js';
import { comparePaths } from './list-files.js';
import type { FileStat } from './read-source-file.js';
import { SCANNER_VERSION } from './scan-cache.js';
import { decodeFiles, encodeFiles } from './snapshot-codec.js';
import type { FileAnalysis, ImportGraph, ScannedFile } from './scan-types.js';

const BUCKETS = 16;

export interface SnapshotContent {
  /** Hash of the settings the result depends on besides the files (scanSettingsHash). */
  settingsHash: string;
  /** State of the files the result was computed from (filesStateHash). */
  filesHash: string;
  /** When the scan that recorded this started; files modified near it are racy. */
  recordedAt: number;
  index: FileIndex;
  /** Sorted by path. */
  files: readonly ScannedFile[];
  graph: ImportGraph;
}

interface Bucket {
  readonly id: string;
  readonly files: readonly ScannedFile[];
  readonly index: FileIndex;
}

export interface ScanSnapshot extends Omit<SnapshotContent, 'index' | 'files'> {
  /** Sorted by path; frozen, like every file and the graph: later scans share them. */
  files: readonly ScannedFile[];
  /** Parsed on first use. */
  readonly index: FileIndex;
  /** The stored buckets: a save rewrites only those whose files or index entries are not these objects. */
  buckets: readonly Bucket[];
  graphId: string;
}

/**
 * What each cache connection last read or wrote, per root. Only ever used after the head row
 * names the same ids, so it can make a scan faster, never different; it goes with the connection.
 */
const heldSnapshots = new WeakMap<Keyv, Map<string, ScanSnapshot>>();
/** Roots a connection holds a snapshot of (the most recently scanned): about 3 KB a file each. */
const HELD_ROOTS = 4;

function heldBy(cache: Keyv): Map<string, ScanSnapshot> {
  let held = heldSnapshots.get(cache);
  if (held === undefined) heldSnapshots.set(cache, (held = new Map()));
  return held;
}

function hold(cache: Keyv, root: string, snapshot: ScanSnapshot | null): void {
  const held = heldBy(cache);
  held.delete(root);
  if (snapshot === null) return;
  held.set(root, snapshot);
  for (const oldest of held.keys()) {
    if (held.size <= HELD_ROOTS) break;
    held.delete(oldest);
  }
}

/** What the result depends on besides the files themselves. */
export function scanSettingsHash(config: Pick<Config, 'scanner' | 'validation'>, redactionKey = ''): string {
  return createHash('sha256').update(`${SCANNER_VERSION}\n${JSON.stringify(config.scanner)}\n${JSON.stringify(config.validation.tests.files)}${redactionKey === '' ? '' : `\n${redactionKey}`}`).digest('hex');
}

/**
 * What the files' content depends on: git's state of every listed file (stateHash, from
 * listRepository) and the lstat fingerprint of each file git does not vouch for.
 */
export function filesStateHash(gitStateHash: string, unverified: readonly string[], stats: readonly FileStat[]): string {
  const lines = unverified.map((file, position) => {
    const stat = stats[position]!;
    return typeof stat === 'string' ? `${file}\0${stat}` : `${file}\0${stat.mode}\0${stat.size}\0${stat.mtimeMs}\0${stat.ino}`;
  });
  return createHash('sha256').update(`${gitStateHash}\n${lines.join('\n')}`).digest('hex');
}

/**
 * Whether `snapshot` is exactly what a scan with these settings would produce of files in this
 * state (filesStateHash; `stats` are those of the files git does not vouch for).
 */
export function isSnapshotCurrent(snapshot: ScanSnapshot, settingsHash: string, filesHash: string, stats: readonly FileStat[]): boolean {
  if (snapshot.settingsHash !== settingsHash || snapshot.filesHash !== filesHash) return false;
  // A file modified in the same tick as the recording may have changed without its stats changing.
  return !stats.some((stat) => typeof stat !== 'string' && isRacy(stat.mtimeMs, snapshot.recordedAt));
}

/** The analysis part of a file from a snapshot. */
export function analysisOf(file: ScannedFile): FileAnalysis {
  const { lines, summary, todos, symbols, functions, syntaxErrors, imports } = file;
  return { lines, ...(summary === undefined ? {} : { summary }), todos, symbols, functions, syntaxErrors, imports };
}

// Rows are read back from disk: the head and the rows' envelopes are checked here, files by
// decodeFiles, and index entries where they are used (one that does not match vouches for nothing).
const record = z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value));
const headSchema = z.object({
  settingsHash: z.string(),
  filesHash: z.string(),
  recordedAt: z.number(),
  graph: z.string(),
  buckets: z.array(z.string()).length(BUCKETS),
});
const graphRowSchema = z.object({ id: z.string(), graph: z.object({ imports: record, importedBy: record }) });
const bucketSchema = z.object({ id: z.string(), files: z.unknown() });
const indexRowSchema = z.object({ id: z.string(), index: record });

/** FNV-1a of the path: which bucket row a file is stored in. */
function bucketOf(file: string): number {
  let hash = 0x811c9dc5;
  for (let position = 0; position < file.length; position++) hash = Math.imul(hash ^ file.charCodeAt(position), 0x01000193);
  return (hash >>> 0) % BUCKETS;
}

interface SqliteStore {
  query(sql: string, ...parameters: unknown[]): Promise<Array<{ key: string; value: string }>>;
  opts: { table: string };
}

/** The SQLite store behind `cache`, used directly so a 3 MB snapshot is parsed once (keyv
 *  would stringify it into its envelope and parse it back with a reviver). */
function sqliteStoreOf(cache: Keyv): SqliteStore | null {
  const store = cache.store as Partial<SqliteStore> | undefined;
  return typeof store?.query === 'function' && typeof store.opts?.table === 'string' ? (store as SqliteStore) : null;
}

/** The head row's key, the graph row's, then the files row and the index row of each bucket. */
function rowKeys(cache: Keyv, root: string): { head: string; graph: string; files: string[]; index: string[] } {
  const head = `${SCANNER_VERSION}:snapshot:${createHash('sha256').update(root).digest('hex').slice(0, 16)}`;
  const prefixed = cache.namespace ? `${cache.namespace}:${head}` : head;
  const buckets = Array.from({ length: BUCKETS }, (_, bucket) => `${prefixed}:${bucket}`);
  return { head: prefixed, graph: `${prefixed}:graph`, files: buckets, index: buckets.map((key) => `${key}:index`) };
}

async function readRows(store: SqliteStore, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await store.query(`SELECT key, value FROM ${store.opts.table} WHERE key IN (${keys.map(() => '?').join(', ')})`, ...keys);
  return new Map(rows.map((row) => [row.key, row.value]));
}

function parseRow(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    return undefined;
  }
}

/** The last snapshot of `root`, or null when there is none, it is unreadable or its rows disagree. */
export async function loadScanSnapshot(cache: Keyv, root: string): Promise<ScanSnapshot | null> {
  const store = sqliteStoreOf(cache);
  if (store === null) return null;
  const snapshot = await readSnapshot(store, rowKeys(cache, root), heldBy(cache).get(root));
  hold(cache, root, snapshot);
  return snapshot;
}

/** Reads the head row, then the rows it names that `known` does not hold already. */
async function readSnapshot(store: SqliteStore, keys: ReturnType<typeof rowKeys>, known: ScanSnapshot | undefined): Promise<ScanSnapshot | null> {
  const head = headSchema.safeParse(parseRow((await readRows(store, [keys.head])).get(keys.head)));
  if (!head.success) return null;
  const { settingsHash, filesHash, recordedAt, graph: graphId, buckets: ids } = head.data;
  const sameGraph = known?.graphId === graphId;
  const changed = ids.flatMap((id, bucket) => (known?.buckets[bucket]!.id === id ? [] : [bucket]));
  const byKey = await readRows(store, [...(sameGraph ? [] : [keys.graph]), ...changed.flatMap((bucket) => [keys.files[bucket]!, keys.index[bucket]!])]);

  let graph = known?.graph;
  if (!sameGraph) {
    // Each save writes its head and the rows it changed in one statement; ids catch rows from another save.
    const row = graphRowSchema.safeParse(parseRow(byKey.get(keys.graph)));
    if (!row.success || row.data.id !== graphId) return null;
    graph = deepFreeze(row.data.graph as ImportGraph);
  }
  const buckets: Bucket[] = [];
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    const kept = known?.buckets[bucket];
    if (kept !== undefined && kept.id === ids[bucket]) {
      buckets.push(kept);
      continue;
    }
    const parsed = bucketSchema.safeParse(parseRow(byKey.get(keys.files[bucket]!)));
    if (!parsed.success || parsed.data.id !== ids[bucket]) return null;
    const files = decodeFiles(parsed.data.files);
    if (files === null) return null;
    buckets.push({ id: parsed.data.id, files, ...lazyIndex(byKey.get(keys.index[bucket]!), parsed.data.id) });
  }
  const files = changed.length === 0 ? known!.files : sortedFiles(buckets);
  return snapshotOf({ settingsHash, filesHash, recordedAt, graph: graph!, graphId, files, buckets });
}

function sortedFiles(buckets: readonly Bucket[]): readonly ScannedFile[] {
  return deepFreeze(buckets.flatMap((bucket) => bucket.files).sort((left, right) => comparePaths(left.path, right.path)));
}

/** A snapshot whose index, the union of its buckets' index entries, is built on first use. */
function snapshotOf(parts: Omit<ScanSnapshot, 'index'>): ScanSnapshot {
  let index: FileIndex | undefined;
  return {
    ...parts,
    get index() {
      index ??= Object.assign({}, ...parts.buckets.map((bucket) => bucket.index)) as FileIndex;
      return index;
    },
  };
}

/**
 * A bucket's index, parsed on first use: a scan that takes the snapshot whole never reads it.
 * An index row that is missing, unreadable or from another save vouches for nothing (its
 * files are read again).
 */
function lazyIndex(text: string | undefined, id: string): { readonly index: FileIndex } {
  let index: FileIndex | undefined;
  return {
    get index() {
      if (index === undefined) {
        const parsed = indexRowSchema.safeParse(parseRow(text));
        index = parsed.success && parsed.data.id === id ? (parsed.data.index as FileIndex) : {};
      }
      return index;
    },
  };
}

/**
 * Records `content` as the snapshot of `root`, which the connection then holds. Buckets of
 * `previous` (the snapshot this scan started from) whose files and index entries are all the
 * very same objects are not rewritten, nor is its graph when it is the same object.
 */
export async function saveScanSnapshot(cache: Keyv, root: string, content: SnapshotContent, previous: ScanSnapshot | null): Promise<void> {
  const store = sqliteStoreOf(cache);
  if (store === null) return;
  const grouped = Array.from({ length: BUCKETS }, () => ({ files: [] as ScannedFile[], index: {} as FileIndex }));
  for (const file of content.files) grouped[bucketOf(file.path)]!.files.push(file);
  for (const [file, entry] of Object.entries(content.index)) grouped[bucketOf(file)]!.index[file] = entry;

  const keys = rowKeys(cache, root);
  const rows: Array<[key: string, value: string]> = [];
  const buckets = grouped.map((bucket, position): Bucket => {
    const before = previous?.buckets[position];
    if (before && sameObjects(before.files, bucket.files) && sameEntries(before.index, bucket.index)) return before;
    const id = newId();
    rows.push([keys.files[position]!, `{"value":${JSON.stringify({ id, files: encodeFiles(bucket.files) })}}`]);
    rows.push([keys.index[position]!, `{"value":${JSON.stringify({ id, index: bucket.index })}}`]);
    return { id, files: bucket.files, index: bucket.index };
  });
  const { settingsHash, filesHash, recordedAt, graph } = content;
  const graphId = previous?.graph === graph ? previous.graphId : newId();
  if (graphId !== previous?.graphId) rows.push([keys.graph, `{"value":${JSON.stringify({ id: graphId, graph })}}`]);
  rows.push([keys.head, `{"value":${JSON.stringify({ settingsHash, filesHash, recordedAt, graph: graphId, buckets: buckets.map((bucket) => bucket.id) })}}`]);
  // One statement: the head and its rows land together or not at all.
  const placeholders = rows.map(() => '(?, ?)').join(', ');
  await store.query(`INSERT INTO ${store.opts.table} (key, value) VALUES ${placeholders} ON CONFLICT(key) DO UPDATE SET value=excluded.value`, ...rows.flat());
  hold(cache, root, snapshotOf({ settingsHash, filesHash, recordedAt, graph: deepFreeze(graph), graphId, files: deepFreeze(content.files), buckets }));
}

function newId(): string {
  return randomBytes(6).toString('hex');
}

function sameObjects(before: readonly ScannedFile[], after: readonly ScannedFile[]): boolean {
  return before.length === after.length && before.every((file, position) => file === after[position]);
}

function sameEntries(before: FileIndex, after: FileIndex): boolean {
  const keys = Object.keys(after);
  return keys.length === Object.keys(before).length && keys.every((file) => before[file] === after[file]);
}
