// Remembers, per scanned root, each file's stat fingerprint (size, mtime, inode) and content hash,
// so a rescan does not read files whose fingerprint is unchanged. As in git's index, a file whose
// mtime is close to when the index was recorded is "racy" (it may have changed within the same
// timestamp tick) and is always read again.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import type Keyv from 'keyv';
import { z } from 'zod';
import { SCANNER_VERSION } from './scan-cache.js';

/** Filesystems with coarse timestamps tick every 1–2 s. */
const RACY_WINDOW_MS = 2_000;

const indexedFileSchema = z.object({
  size: z.number(),
  mtimeMs: z.number(),
  ino: z.number(),
  status: z.enum(['text', 'binary', 'invalid-utf8']),
  hash: z.string().optional(),
});

const fileIndexSchema = z.object({ recordedAt: z.number(), files: z.record(z.string(), indexedFileSchema) });

export type IndexedFile = z.infer<typeof indexedFileSchema>;
export type FileIndex = z.infer<typeof fileIndexSchema>;

function fileIndexKey(root: string): string {
  return `${SCANNER_VERSION}:file-index:${createHash('sha256').update(root).digest('hex').slice(0, 16)}`;
}

/** The index of the last scan of `root`, or null when there is none or it is unreadable. */
export async function loadFileIndex(cache: Keyv, root: string): Promise<FileIndex | null> {
  const value = await cache.get<unknown>(fileIndexKey(root));
  if (typeof value !== 'string') return null;
  try {
    const parsed = fileIndexSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function saveFileIndex(cache: Keyv, root: string, index: FileIndex): Promise<void> {
  await cache.set(fileIndexKey(root), JSON.stringify(index));
}

export function fingerprintOf(stats: Stats): Pick<IndexedFile, 'size' | 'mtimeMs' | 'ino'> {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}

/** Whether the remembered entry still describes the file on disk. */
export function isUnchanged(entry: IndexedFile | undefined, stats: Stats, recordedAt: number): entry is IndexedFile {
  if (entry === undefined) return false;
  const racy = stats.mtimeMs >= recordedAt - RACY_WINDOW_MS;
  return !racy && entry.size === stats.size && entry.mtimeMs === stats.mtimeMs && entry.ino === stats.ino;
}
