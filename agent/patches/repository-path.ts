// Lexical jail for paths named by a plan: repository-relative POSIX paths only. The real-path
// check (symlinks) lives in check-guards.ts because it needs the file system.
import { HephaestusError } from '../core/errors.js';
import { STATE_DIR_NAME } from '../state/state-dir.js';

export type RepositoryPathResult = { ok: true; path: string } | { ok: false; reason: string };

/** Raised when code (not a plan) hands the overlay a path outside the repository. */
export class PathRejectedError extends HephaestusError {
  constructor(message: string) {
    super('PATH_REJECTED', message);
  }
}

const RESERVED_FIRST_SEGMENTS = new Set(['.git', STATE_DIR_NAME.toLowerCase()]);

/**
 * Normalises `./src//a.ts` and `src\a.ts` to `src/a.ts`; rejects empty paths, NUL bytes,
 * absolute paths, `..` segments and anything under `.git/` or `.hephaestus/`.
 */
export function normalizeRepositoryPath(candidate: string): RepositoryPathResult {
  if (candidate.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  const slashed = candidate.trim().replaceAll('\\', '/');
  if (slashed === '') return { ok: false, reason: 'is empty' };
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return { ok: false, reason: 'is absolute; use a path relative to the repository root' };
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { ok: false, reason: 'contains a ".." segment' };
  if (segments.length === 0) return { ok: false, reason: 'names the repository root, not a file' };
  const reserved = reservedSegment(segments);
  if (reserved) return { ok: false, reason: `is inside ${reserved}/, which the agent never writes` };
  return { ok: true, path: segments.join('/') };
}

/** `.git` anywhere (submodules too) and `.hephaestus` at the top, compared case-insensitively. */
export function reservedSegment(segments: readonly string[]): string | undefined {
  const first = segments[0]?.toLowerCase();
  if (first !== undefined && RESERVED_FIRST_SEGMENTS.has(first)) return segments[0];
  return segments.find((segment) => segment.toLowerCase() === '.git');
}
