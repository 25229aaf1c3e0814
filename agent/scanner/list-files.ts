// Which files a scan covers: what git tracks plus untracked files it does not ignore, minus the
// state directory and the configured exclusions. Paths are repository-relative and POSIX.
import path from 'node:path';
import picomatch from 'picomatch';
import { runGit } from '../git/git-environment.js';
import { STATE_DIR_NAME } from '../state/state-dir.js';
import { ScanInputError } from './scanner-errors.js';

export interface ListFilesOptions {
  exclude?: readonly string[];
  signal?: AbortSignal;
}

export async function listRepositoryFiles(root: string, options: ListFilesOptions = {}): Promise<string[]> {
  const result = await runGit(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], options.signal ? { signal: options.signal } : {});
  const listed = result.stdout.split('\0').filter((entry) => entry !== '');
  return filterScannable(listed, options.exclude ?? []);
}

/** Sorted, de-duplicated, without `.hephaestus/` and excluded globs. */
export function filterScannable(paths: readonly string[], exclude: readonly string[]): string[] {
  const isExcluded = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
  const kept = new Set<string>();
  for (const entry of paths) {
    if (entry === STATE_DIR_NAME || entry.startsWith(`${STATE_DIR_NAME}/`) || isExcluded(entry)) continue;
    kept.add(entry);
  }
  return [...kept].sort(comparePaths);
}

/** Normalises a caller-supplied path to repository-relative POSIX form, or throws. */
export function toRepositoryPath(input: string, what: string): string {
  const posix = input.replaceAll('\\', '/');
  if (posix === '' || path.posix.isAbsolute(posix) || /^[A-Za-z]:\//.test(posix)) {
    throw new ScanInputError(`${what} "${input}" must be a path relative to the repository root, like "src/a.ts".`);
  }
  const normalized = path.posix.normalize(posix);
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new ScanInputError(`${what} "${input}" points outside the repository; pass a path inside it, relative to its root.`);
  }
  return normalized.replace(/^\.\//, '');
}

/** Code-unit order, so the result does not depend on the machine's locale. */
export function comparePaths(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
