// Scans a repository: lists its files, reads each safely, analyses the ones whose content the
// scan cache has not seen (path + content hash), and builds the import graph between them.
import type Keyv from 'keyv';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { AbortedError } from '../errors.js';
import { analyzeFile } from './analyze-file.js';
import { detectLanguage, scriptKindOf } from './detect-language.js';
import { buildImportGraph } from './import-graph.js';
import { filterScannable, listRepositoryFiles, toRepositoryPath } from './list-files.js';
import { loadFileIndex, saveFileIndex, type FileIndex } from './file-index.js';
import { readSourceFile, type SourceRead } from './read-source-file.js';
import { createImportResolver, readPathMapping } from './resolve-imports.js';
import { readCachedAnalyses, scanCacheKey, writeCachedAnalyses } from './scan-cache.js';
import { loadScanSnapshot, saveScanSnapshot, scanInputsHash, type ScanSnapshot } from './scan-snapshot.js';
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
  throwIfAborted(signal);
  const [paths, index] = await Promise.all([
    options.files
      ? filterScannable(options.files.map((file) => toRepositoryPath(file, 'file to scan')), config.scanner.exclude)
      : listRepositoryFiles(root, { exclude: config.scanner.exclude, ...(signal ? { signal } : {}) }),
    cache ? loadIndex(cache, root, logger) : null,
  ]);

  const reads = paths.map((file) => {
    throwIfAborted(signal);
    return readSourceFile(root, file, maxBytes, index ? { entry: index.files[file], recordedAt: index.recordedAt } : undefined);
  });

  const textual = reads.flatMap((read, position) => (read.status === 'text' ? [{ position, key: scanCacheKey(paths[position]!, read.hash) }] : []));

  // Nothing changed since the last recorded full scan: read the whole result back at once.
  const listedSet = new Set(paths.filter((_, position) => reads[position]!.status !== 'missing'));
  const mapping = await readPathMapping(root, listedSet, signal);
  const fullScan = cache !== undefined && !options.files;
  const inputsHash = fullScan ? scanInputsHash(paths, reads, { config, mapping }) : null;
  const snapshot = fullScan && inputsHash ? await loadSnapshot(cache!, root, inputsHash, logger) : null;
  if (snapshot) {
    const stats = {
      files: snapshot.files.length,
      parsed: 0,
      cacheHits: textual.length,
      skipped: snapshot.files.filter((file) => !isRead(file.status)).length,
      durationMs: Math.round(performance.now() - started),
      snapshot: true,
    };
    logger?.debug(stats, 'scan-complete');
    return { files: snapshot.files, graph: snapshot.graph, stats };
  }
  const cached = cache ? await lookUp(cache, textual.map((entry) => entry.key), logger) : [];

  const analyses = new Map<string, FileAnalysis>();
  const fresh: Array<{ key: string; value: FileAnalysis }> = [];
  textual.forEach(({ position, key }, lookupIndex) => {
    const file = paths[position]!;
    const hit = cached[lookupIndex];
    if (hit !== undefined) {
      analyses.set(file, hit);
      return;
    }
    throwIfAborted(signal);
    let read = reads[position]!;
    // The index vouched for the hash but the analysis is gone (evicted, cleared): read it now.
    if (read.status === 'text' && read.text === undefined) read = reads[position] = readSourceFile(root, file, maxBytes);
    if (read.status !== 'text' || read.text === undefined) return;
    const analysis = analyzeFile(file, detectLanguage(file), read.text);
    analyses.set(file, analysis);
    fresh.push({ key: read.fromIndex ? key : scanCacheKey(file, read.hash), value: analysis });
  });
  if (cache) {
    await store(cache, fresh, logger);
    // A partial scan would shrink the index to its few files; only full scans record it.
    if (!options.files) await updateIndex(cache, root, index, nextIndex(paths, reads, startedAt), reads, logger);
  }

  const isTest = createTestFileMatcher(config.validation.tests.files);
  const files: ScannedFile[] = [];
  paths.forEach((file, index) => {
    const read = reads[index]!;
    if (read.status === 'missing') return;
    const analysis = analyses.get(file) ?? EMPTY_ANALYSIS;
    const status = read.status === 'text' && scriptKindOf(file) !== undefined ? 'parsed' : read.status;
    files.push({ path: file, language: detectLanguage(file), status, bytes: read.bytes, isTest: isTest(file), ...analysis });
  });

  const fileSet = new Set(files.map((file) => file.path));
  const graph = buildImportGraph(files, createImportResolver(fileSet, mapping));
  if (fullScan && inputsHash && fresh.length === 0) {
    // Recorded by a scan that parsed nothing, so the next unchanged scan reads it back.
    await saveScanSnapshot(cache!, root, { inputsHash, files, graph }).catch((error: unknown) => logger?.warn({ err: error }, 'scan-snapshot-write-failed'));
  }
  const stats = {
    files: files.length,
    parsed: fresh.length,
    cacheHits: textual.length - fresh.length,
    skipped: files.filter((file) => !isRead(file.status)).length,
    durationMs: Math.round(performance.now() - started),
    snapshot: false,
  };
  logger?.debug(stats, 'scan-complete');
  return { files, graph, stats };
}

function isRead(status: FileStatus): boolean {
  return status === 'text' || status === 'parsed';
}

async function loadSnapshot(cache: Keyv, root: string, inputsHash: string, logger: Logger | undefined): Promise<ScanSnapshot | null> {
  try {
    return await loadScanSnapshot(cache, root, inputsHash);
  } catch (error) {
    logger?.warn({ err: error }, 'scan-snapshot-read-failed: scanning file by file');
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

async function loadIndex(cache: Keyv, root: string, logger: Logger | undefined): Promise<FileIndex | null> {
  try {
    return await loadFileIndex(cache, root);
  } catch (error) {
    logger?.warn({ err: error }, 'scan-index-read-failed: every file is read');
    return null;
  }
}

function nextIndex(paths: readonly string[], reads: readonly SourceRead[], recordedAt: number): FileIndex {
  const files: FileIndex['files'] = {};
  reads.forEach((read, position) => {
    if (read.status === 'text') files[paths[position]!] = { ...read.fingerprint, status: 'text', hash: read.hash };
    else if (read.status === 'binary' || read.status === 'invalid-utf8') files[paths[position]!] = { ...read.fingerprint, status: read.status };
  });
  return { recordedAt, files };
}

/**
 * Saves the index when a file was read (its entry was new, changed or racy) or one went away;
 * a file that replaced another was read, so comparing counts is enough.
 */
async function updateIndex(cache: Keyv, root: string, previous: FileIndex | null, next: FileIndex, reads: readonly SourceRead[], logger: Logger | undefined): Promise<void> {
  const anyRead = reads.some((read) => (read.status === 'text' || read.status === 'binary' || read.status === 'invalid-utf8') && read.fromIndex !== true);
  const sameFiles = previous !== null && Object.keys(previous.files).length === Object.keys(next.files).length;
  if (!anyRead && sameFiles) return;
  try {
    await saveFileIndex(cache, root, next);
  } catch (error) {
    logger?.warn({ err: error }, 'scan-index-write-failed: the next scan reads every file');
  }
}

async function store(cache: Keyv, entries: Array<{ key: string; value: FileAnalysis }>, logger: Logger | undefined): Promise<void> {
  try {
    await writeCachedAnalyses(cache, entries);
  } catch (error) {
    logger?.warn({ err: error, entries: entries.length }, 'scan-cache-write-failed: the next scan parses these files again');
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError('The scan was interrupted.', { cause: signal.reason });
}
