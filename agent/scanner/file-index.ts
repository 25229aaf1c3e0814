// The stat index: per file, the stat fingerprint (size, mtime, inode) and content hash seen by
// the last full scan, so a rescan does not read files whose fingerprint is unchanged. As in
// git's index, a file whose mtime is close to when the index was recorded is "racy" (it may have
// changed within the same timestamp tick) and is always read again. It is stored in the scan
// snapshot (scan-snapshot.ts).
import type { Stats } from 'node:fs';

/** Filesystems with coarse timestamps tick every 1–2 s. */
const RACY_WINDOW_MS = 2_000;

export interface IndexedFile {
  size: number;
  mtimeMs: number;
  ino: number;
  status: 'text' | 'binary' | 'invalid-utf8';
  hash?: string;
  /** The index's blob id when git vouched for the file: the same blob later means the same content. */
  blob?: string;
}

/** Repository-relative path → what the last full scan saw. */
export type FileIndex = Record<string, IndexedFile>;

export function fingerprintOf(stats: Stats): Pick<IndexedFile, 'size' | 'mtimeMs' | 'ino'> {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}

/** Whether a file modified at `mtimeMs` may have changed again unnoticed within the same tick. */
export function isRacy(mtimeMs: number, recordedAt: number): boolean {
  return mtimeMs >= recordedAt - RACY_WINDOW_MS;
}

/** Whether the remembered entry still describes the file on disk (entries come from disk: any shape). */
export function isUnchanged(entry: IndexedFile | undefined, stats: Stats, recordedAt: number): entry is IndexedFile {
  if (typeof entry !== 'object' || entry === null) return false;
  return !isRacy(stats.mtimeMs, recordedAt) && entry.size === stats.size && entry.mtimeMs === stats.mtimeMs && entry.ino === stats.ino;
}

/** The entry `previous` holds for a file if it says the same, so an unchanged part of the snapshot keeps the same objects. */
export function reuseEntry(previous: IndexedFile | undefined, next: IndexedFile): IndexedFile {
  if (typeof previous !== 'object' || previous === null) return next;
  const same = previous.size === next.size && previous.mtimeMs === next.mtimeMs && previous.ino === next.ino && previous.status === next.status && previous.hash === next.hash && previous.blob === next.blob;
  return same ? previous : next;
}
