// Where AGENTS.md lives and how it is read and written: only when its content changes, and
// atomically (temp file + rename), so a reader never sees half a manifest.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, HephaestusError, type HephaestusErrorOptions } from '../core/errors.js';

export const DEFAULT_MANIFEST_PATH = 'AGENTS.md';

/** AGENTS.md could not be written (permissions, a directory in the way, a full disk). */
export class ManifestWriteError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('MANIFEST_WRITE_FAILED', message, options);
  }
}

export interface WriteManifestOptions {
  /** Repository-relative path (config `manifest.path`); default AGENTS.md. */
  path?: string;
}

/** The absolute manifest file for a repository-relative `manifest.path`, or a ConfigError. */
export function manifestFileOf(root: string, relativePath: string = DEFAULT_MANIFEST_PATH): string {
  const posix = relativePath.replaceAll('\\', '/');
  const normalized = path.posix.normalize(posix);
  if (posix === '' || path.posix.isAbsolute(posix) || normalized === '..' || normalized.startsWith('../') || normalized.endsWith('/')) {
    throw new ConfigError(`manifest.path: "${relativePath}" must be a file path inside the repository, relative to its root (like "AGENTS.md").`);
  }
  return path.join(root, normalized);
}

/** The manifest's current content, or null when there is none. */
export async function readManifest(root: string, options: WriteManifestOptions = {}): Promise<string | null> {
  try {
    return await readFile(manifestFileOf(root, options.path), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function writeManifest(root: string, content: string, options: WriteManifestOptions = {}): Promise<{ changed: boolean; file: string }> {
  const file = manifestFileOf(root, options.path);
  if ((await readManifest(root, options)) === content) return { changed: false, file };
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new ManifestWriteError(`cannot write ${file}: ${(error as Error).message}. Check that the directory exists and is writable.`, { cause: error });
  }
  return { changed: true, file };
}
