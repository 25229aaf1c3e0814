// Reads one listed file safely: symlinks are never followed, and binary, oversized, invalid
// UTF-8 or unreadable files are reported by status instead of being decoded. A file whose stat
// fingerprint matches the last scan's index is not read at all.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { fingerprintOf, isUnchanged, type IndexedFile } from './file-index.js';
import type { FileStatus } from './scan-types.js';

type Fingerprint = Pick<IndexedFile, 'size' | 'mtimeMs' | 'ino'>;

export type SourceRead =
  /** `text` is absent when the index vouched for the content hash (`fromIndex`, the entry that did) and nothing was read. */
  | { status: 'text'; bytes: number; hash: string; text?: string; fingerprint: Fingerprint; fromIndex?: IndexedFile }
  | { status: 'binary' | 'invalid-utf8'; bytes: number; fingerprint: Fingerprint; fromIndex?: IndexedFile }
  | { status: Exclude<FileStatus, 'text' | 'parsed' | 'binary' | 'invalid-utf8'>; bytes: number }
  | { status: 'missing' };

/** What `lstat` said about a listed path: its stats, or why there are none. */
export type FileStat = Stats | 'missing' | 'unreadable';

export interface KnownFile {
  entry: IndexedFile | undefined;
  recordedAt: number;
}

const BINARY_PROBE_BYTES = 8000;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Synchronous on purpose: for thousands of small files one blocking call each is several times
 * faster than queueing them on the thread pool, and the caller checks its signal between files.
 */
export function statListedFile(root: string, relativePath: string): FileStat {
  try {
    // Tracked but deleted in the working tree: not part of what the scan sees.
    return lstatSync(path.join(root, relativePath), { throwIfNoEntry: false }) ?? 'missing';
  } catch {
    return 'unreadable';
  }
}

/** What the index says of a file whose content it vouches for, without touching the file. */
export function readFromIndex(entry: IndexedFile, maxBytes: number): SourceRead | undefined {
  if (typeof entry.size !== 'number' || entry.size > maxBytes) return undefined;
  const fingerprint = { size: entry.size, mtimeMs: entry.mtimeMs, ino: entry.ino };
  if (entry.status === 'text' && typeof entry.hash === 'string') return { status: 'text', bytes: entry.size, hash: entry.hash, fingerprint, fromIndex: entry };
  if (entry.status === 'binary' || entry.status === 'invalid-utf8') return { status: entry.status, bytes: entry.size, fingerprint, fromIndex: entry };
  return undefined;
}

export function readSourceFile(root: string, relativePath: string, maxBytes: number, options: { stat?: FileStat; known?: KnownFile } = {}): SourceRead {
  const stats = options.stat ?? statListedFile(root, relativePath);
  if (stats === 'missing') return { status: 'missing' };
  if (stats === 'unreadable') return { status: 'unreadable', bytes: 0 };
  if (stats.isSymbolicLink()) return { status: 'symlink', bytes: stats.size };
  // Submodules and other non-files are listed by git but have no content of their own.
  if (!stats.isFile()) return { status: 'missing' };
  if (stats.size > maxBytes) return { status: 'too-large', bytes: stats.size };

  const fingerprint = fingerprintOf(stats);
  const { known } = options;
  if (known && isUnchanged(known.entry, stats, known.recordedAt)) {
    const vouched = readFromIndex(known.entry, maxBytes);
    if (vouched) return vouched;
  }

  let content: Buffer;
  try {
    content = readFileSync(path.join(root, relativePath));
  } catch {
    return { status: 'unreadable', bytes: stats.size };
  }
  if (content.subarray(0, BINARY_PROBE_BYTES).includes(0)) return { status: 'binary', bytes: content.length, fingerprint };
  let text: string;
  try {
    text = utf8.decode(content);
  } catch {
    return { status: 'invalid-utf8', bytes: content.length, fingerprint };
  }
  return { status: 'text', bytes: content.length, text, hash: createHash('sha256').update(content).digest('hex'), fingerprint };
}
