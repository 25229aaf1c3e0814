// An in-memory layer over the repository: reads fall through to disk, writes and deletions
// stay in memory until a sandbox materialises `changes()`. The working tree is never written.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { normalizeRepositoryPath, PathRejectedError } from './repository-path.js';

export type OverlayFile = { kind: 'text'; content: string } | { kind: 'missing' } | { kind: 'unreadable'; reason: string };

export interface Overlay {
  readonly repoRoot: string;
  /** The file as the overlay sees it (memory first, then disk). */
  read(relativePath: string): Promise<OverlayFile>;
  /** The file as it is on disk, ignoring the overlay's writes. */
  readBase(relativePath: string): Promise<OverlayFile>;
  write(relativePath: string, content: string): void;
  remove(relativePath: string): void;
  /** Net changes against disk: repository-relative POSIX path → new content, or null when deleted. */
  changes(): Map<string, string | null>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function createOverlay(repoRoot: string): Overlay {
  const written = new Map<string, string | null>();
  const baseReads = new Map<string, Promise<OverlayFile>>();
  const baseSettled = new Map<string, OverlayFile>();

  const readBase = (relativePath: string): Promise<OverlayFile> => {
    const key = checkedPath(relativePath);
    let pending = baseReads.get(key);
    if (!pending) {
      pending = readFromDisk(path.join(repoRoot, key)).then((file) => {
        baseSettled.set(key, file);
        return file;
      });
      baseReads.set(key, pending);
    }
    return pending;
  };

  return {
    repoRoot,
    readBase,
    async read(relativePath) {
      const key = checkedPath(relativePath);
      if (written.has(key)) {
        const content = written.get(key);
        return content === null || content === undefined ? { kind: 'missing' } : { kind: 'text', content };
      }
      return readBase(key);
    },
    write(relativePath, content) {
      written.set(checkedPath(relativePath), content);
    },
    remove(relativePath) {
      written.set(checkedPath(relativePath), null);
    },
    changes() {
      const net = new Map<string, string | null>();
      for (const [key, content] of written) {
        const base = baseSettled.get(key);
        const unchanged =
          base !== undefined &&
          ((content === null && base.kind === 'missing') || (base.kind === 'text' && base.content === content));
        if (!unchanged) net.set(key, content);
      }
      return net;
    },
  };
}

function checkedPath(relativePath: string): string {
  const normalized = normalizeRepositoryPath(relativePath);
  if (!normalized.ok) throw new PathRejectedError(`overlay path "${relativePath}" ${normalized.reason}`);
  return normalized.path;
}

async function readFromDisk(file: string): Promise<OverlayFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    if (code === 'EISDIR') return { kind: 'unreadable', reason: 'is a directory' };
    return { kind: 'unreadable', reason: `cannot be read (${code ?? String(error)})` };
  }
  if (bytes.includes(0)) return { kind: 'unreadable', reason: 'is binary (contains NUL bytes)' };
  try {
    return { kind: 'text', content: utf8.decode(bytes) };
  } catch {
    return { kind: 'unreadable', reason: 'is not valid UTF-8; only UTF-8 text files can be patched' };
  }
}
