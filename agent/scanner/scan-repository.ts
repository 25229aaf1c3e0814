// Scans a repository: lists its files, reads each safely (or takes an unchanged repository's
// result whole from the last snapshot), analyses the ones whose content neither the snapshot nor
// the scan cache has seen (path + content hash), with secrets in their text redacted (known
// shapes, and the values of the repository's `.env*` files), and builds the import graph.
import type Keyv from 'keyv';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { throwIfAborted } from '../core/abort.js';
import { readEnvFileSecrets } from '../logging/env-file-secrets.js';
import { analyzeFile, isParsedFile, type LoadedParsers } from './analyze-file.js';
import { deepFreeze } from './deep-freeze.js';
import { detectLanguage } from './detect-language.js';
import { buildImportGraph } from './import-graph.js';
import { filterScannable, listRepository, toRepositoryPath, type RepositoryListing } from './list-files.js';
import { reuseEntry, type FileIndex, type IndexedFile } from './file-index.js';
import { readFromIndex, readSourceFile, statListedFile, type SourceRead } from './read-source-file.js';
import { isPackageManifest, readPackageEntries } from './package-entries.js';
import { loadPythonParser } from './python-parser.js';
import { createImportResolver, readPathMapping } from './resolve-imports.js';
import { readCachedAnalyses, scanCacheKey, writeCachedAnalyses } from './scan-cache.js';
import { redactAnalyses, redactionKeyOf } from './redact-analyses.js';
import { analysisOf, filesStateHash, isSnapshotCurrent, loadScanSnapshot, saveScanSnapshot, scanSettingsHash, type ScanSnapshot } from './scan-snapshot.js';
import type { FileAnalysis, FileStatus, ScanResult, ScannedFile } from './scan-types.js';
import { createTestFileMatcher } from './test-files.js';

export interface ScanOptions {
  config: Pick<Config, 'scanner' | 'validation'>;
  /** The `scan` namespace of the cache (openCache(stateDir, 'scan')); without it every file is parsed. */
  cache?: Keyv;
  logger?: Logger;
  signal?: AbortSignal;
  /** Repository-relative paths to scan instead of the files git lists. */
  files?: readonly string[];
}

const EMPTY_ANALYSIS: FileAnalysis = { lines: 0, todos: [], symbols: [], functions: [], syntaxErrors: [], imports: [] };

export async function scanRepository(root: string, options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const startedAt = Date.now();
  const { config, cache, logger, signal } = options;
  const maxBytes = config.scanner.maxFileBytes;
  throwIfAborted(signal, 'The scan was interrupted.');
  // `.env` values are redacted wherever a source file repeats them; analyses, cache entries and
  // the snapshot made for other values are never used.
  const envValues = await readEnvFileSecrets(root);
  const redactionKey = redactionKeyOf(envValues);
  // A full scan starts from the last one's snapshot, read and parsed while git lists the files.
  const fullScan = cache !== undefined && !options.files;
  const snapshotOwner = redactionKey === '' ? root : `${root}\0${redactionKey}`;
  const loading = fullScan ? loadSnapshot(cache, snapshotOwner, logger) : null;
  const [listing, snapshot] = await Promise.all([
    options.files ? givenFiles(options.files, config.scanner.exclude) : listRepository(root, { exclude: config.scanner.exclude, ...(signal ? { signal } : {}) }),
    loading,
  ]);
  const { paths } = listing;
  // Git vouches for tracked files identical to their index entries; the rest are checked here.
  const unverified = paths.filter((file) => listing.unverified.has(file));
  const unverifiedStats = unverified.map((file) => statListedFile(root, file));

  // Nothing changed since the snapshot was recorded: its result is this scan's, no file is opened.
  const settingsHash = scanSettingsHash(config, redactionKey);
  const filesHash = filesStateHash(listing.stateHash, unverified, unverifiedStats);
  if (snapshot && isSnapshotCurrent(snapshot, settingsHash, filesHash, unverifiedStats)) {
    const read = snapshot.files.filter((file) => isRead(file.status)).length;
    const scanStats = { files: snapshot.files.length, parsed: 0, cacheHits: read, skipped: snapshot.files.length - read, durationMs: Math.round(performance.now() - started), snapshot: true };
    logger?.debug(scanStats, 'scan-complete');
    return { files: snapshot.files, graph: snapshot.graph, stats: scanStats };
  }

  // A file whose blob is the one the snapshot recorded is not touched; the others are checked
  // against the stat index, and read when it cannot vouch for them.
  const checked = new Map(unverified.map((file, position) => [file, unverifiedStats[position]!]));
  const reads = paths.map((file) => {
    throwIfAborted(signal, 'The scan was interrupted.');
    const entry = snapshot?.index[file];
    const blob = listing.blobs.get(file);
    const vouched = blob !== undefined && entry?.blob === blob ? readFromIndex(entry, maxBytes) : undefined;
    if (vouched) return vouched;
    const known = snapshot ? { entry, recordedAt: snapshot.recordedAt } : undefined;
    const stat = checked.get(file);
    return readSourceFile(root, file, maxBytes, { ...(stat ? { stat } : {}), ...(known ? { known } : {}) });
  });
  const textual = reads.flatMap((read, position) => (read.status === 'text' ? [{ position, key: scanCacheKey(paths[position]!, read.hash, redactionKey) }] : []));

  // Unchanged content keeps the snapshot's analysis; the rest is looked up in the per-file cache.
  const previous = snapshot ? new Map(snapshot.files.map((file) => [file.path, file])) : undefined;
  const keptFromSnapshot = new Map<string, ScannedFile>();
  const toLookUp = textual.filter(({ position }) => {
    const file = paths[position]!;
    const read = reads[position]! as Extract<SourceRead, { status: 'text' }>;
    const prior = snapshot?.index[file]?.hash === read.hash ? previous!.get(file) : undefined;
    if (prior) keptFromSnapshot.set(file, prior);
    return prior === undefined;
  });
  const analyses = new Map<string, FileAnalysis>();
  const cached = cache ? await lookUp(cache, toLookUp.map((entry) => entry.key), logger) : [];

  const missed = toLookUp.filter((_, lookupIndex) => cached[lookupIndex] === undefined).map(({ position }) => paths[position]!);
  const parsers = await loadParsers(missed, logger);
  // Python files read while the parser could not load: not cached, so a later scan parses them.
  const unparsed = new Set<string>();
  const fresh: Array<{ key: string; value: FileAnalysis }> = [];
  const analyzed: Array<{ file: string; analysis: FileAnalysis }> = [];
  toLookUp.forEach(({ position, key }, lookupIndex) => {
    const file = paths[position]!;
    const hit = cached[lookupIndex];
    if (hit !== undefined) {
      analyses.set(file, hit);
      return;
    }
    throwIfAborted(signal, 'The scan was interrupted.');
    let read = reads[position]!;
    // The index vouched for the hash but the analysis is gone (evicted, cleared): read it now.
    if (read.status === 'text' && read.text === undefined) read = reads[position] = readSourceFile(root, file, maxBytes);
    if (read.status !== 'text' || read.text === undefined) return;
    const language = detectLanguage(file);
    const analysis = analyzeFile(file, language, read.text, parsers);
    analyzed.push({ file, analysis });
    if (language === 'python' && parsers.python === undefined) unparsed.add(file);
    else fresh.push({ key: read.fromIndex ? key : scanCacheKey(file, read.hash, redactionKey), value: analysis });
  });
  // Secrets in the source never reach the cache, the snapshot or the manifest.
  const redacted = await redactAnalyses(analyzed.map((entry) => entry.analysis), envValues);
  const cleaned = new Map(analyzed.map((entry, position) => [entry.analysis, redacted[position]!]));
  analyzed.forEach((entry, position) => analyses.set(entry.file, redacted[position]!));
  for (const entry of fresh) entry.value = cleaned.get(entry.value) ?? entry.value;
  if (cache) await store(cache, fresh, logger);

  const isTest = createTestFileMatcher(config.validation.tests.files);
  const files: ScannedFile[] = [];
  paths.forEach((file, index) => {
    const read = reads[index]!;
    if (read.status === 'missing') return;
    const status = read.status === 'text' && isParsedFile(file, detectLanguage(file)) && !unparsed.has(file) ? 'parsed' : read.status;
    const prior = previous?.get(file);
    const kept = keptFromSnapshot.get(file);
    const test = isTest(file);
    // The snapshot's own object when nothing about the file changed: its bucket is then not rewritten.
    if (prior !== undefined && prior.status === status && prior.bytes === read.bytes && prior.isTest === test && (kept !== undefined || !isRead(status))) {
      files.push(prior);
      return;
    }
    const analysis = kept ? analysisOf(kept) : (analyses.get(file) ?? EMPTY_ANALYSIS);
    files.push(deepFreeze({ path: file, language: detectLanguage(file), status, bytes: read.bytes, isTest: test, ...analysis }));
  });

  const fileSet = new Set(files.map((file) => file.path));
  const graph = snapshot && importsUnchanged(files, snapshot.files) ? snapshot.graph : deepFreeze(buildImportGraph(files, await createResolver(root, fileSet, signal)));
  deepFreeze(files);
  if (fullScan && unparsed.size === 0) {
    const recorded = { settingsHash, filesHash, recordedAt: startedAt, index: indexOf(paths, reads, snapshot?.index, listing.blobs), files, graph };
    await saveScanSnapshot(cache, snapshotOwner, recorded, snapshot).catch((error: unknown) => logger?.warn({ err: error }, 'scan-snapshot-write-failed: the next scan reads every file'));
  }
  const scanStats = {
    files: files.length,
    parsed: fresh.length + unparsed.size,
    cacheHits: textual.length - fresh.length - unparsed.size,
    skipped: files.filter((file) => !isRead(file.status)).length,
    durationMs: Math.round(performance.now() - started),
    snapshot: false,
  };
  logger?.debug(scanStats, 'scan-complete');
  return { files, graph, stats: scanStats };
}

/** The Python parser, loaded only when a file it reads needs analysing; without it Python gets line metrics. */
async function loadParsers(files: readonly string[], logger: Logger | undefined): Promise<LoadedParsers> {
  if (!files.some((file) => detectLanguage(file) === 'python')) return {};
  try {
    return { python: await loadPythonParser() };
  } catch (error) {
    logger?.warn({ err: error }, 'python-parser-unavailable: Python files get line metrics only');
    return {};
  }
}

async function createResolver(root: string, files: ReadonlySet<string>, signal: AbortSignal | undefined) {
  const [mapping, packages] = await Promise.all([readPathMapping(root, files, signal), readPackageEntries(root, files, signal)]);
  return createImportResolver(files, mapping, packages);
}

/** Files the caller named: none is vouched for by git, and no snapshot is kept for them. */
function givenFiles(files: readonly string[], exclude: readonly string[]): RepositoryListing {
  const paths = filterScannable(files.map((file) => toRepositoryPath(file, 'file to scan')), exclude);
  return { paths, unverified: new Set(paths), blobs: new Map(), stateHash: '' };
}

function isRead(status: FileStatus): boolean {
  return status === 'text' || status === 'parsed';
}

async function loadSnapshot(cache: Keyv, root: string, logger: Logger | undefined): Promise<ScanSnapshot | null> {
  try {
    return await loadScanSnapshot(cache, root);
  } catch (error) {
    // A broken cache slows the scan down; it must not stop it.
    logger?.warn({ err: error }, 'scan-snapshot-read-failed: every file is read');
    return null;
  }
}

async function lookUp(cache: Keyv, keys: string[], logger: Logger | undefined): Promise<Array<FileAnalysis | undefined>> {
  try {
    return await readCachedAnalyses(cache, keys);
  } catch (error) {
    // A broken cache slows the scan down; it must not stop it.
    logger?.warn({ err: error }, 'scan-cache-read-failed: every file is parsed');
    return [];
  }
}

function indexOf(paths: readonly string[], reads: readonly SourceRead[], previous: FileIndex | undefined, blobs: ReadonlyMap<string, string>): FileIndex {
  const index: FileIndex = {};
  reads.forEach((read, position) => {
    const file = paths[position]!;
    if (read.status !== 'text' && read.status !== 'binary' && read.status !== 'invalid-utf8') return;
    const blob = blobs.get(file);
    // The entry that vouched for the content still describes the file when git names the same blob.
    if (read.fromIndex !== undefined && read.fromIndex.blob === blob) {
      index[file] = read.fromIndex;
      return;
    }
    const entry: IndexedFile = { ...read.fingerprint, status: read.status, ...(read.status === 'text' ? { hash: read.hash } : {}), ...(blob ? { blob } : {}) };
    index[file] = reuseEntry(previous?.[file], entry);
  });
  return index;
}

/**
 * Whether the files import what they imported when `before` was scanned: the same paths, the same
 * specifiers, and the same tsconfig.json and package.json files (they map specifiers). Both lists
 * are sorted.
 */
function importsUnchanged(files: readonly ScannedFile[], before: readonly ScannedFile[]): boolean {
  if (files.length !== before.length) return false;
  return files.every((file, position) => {
    const prior = before[position]!;
    if (file === prior) return true;
    return file.path === prior.path && file.path !== 'tsconfig.json' && !isPackageManifest(file.path) && file.imports.length === prior.imports.length && file.imports.every((specifier, at) => specifier === prior.imports[at]);
  });
}

async function store(cache: Keyv, entries: Array<{ key: string; value: FileAnalysis }>, logger: Logger | undefined): Promise<void> {
  try {
    await writeCachedAnalyses(cache, entries);
  } catch (error) {
    logger?.warn({ err: error, entries: entries.length }, 'scan-cache-write-failed: the next scan parses these files again');
  }
}
