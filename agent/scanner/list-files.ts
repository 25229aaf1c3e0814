// Which files a scan covers: what git tracks plus untracked files it does not ignore, minus the
// state directory and the configured exclusions. Paths are repository-relative and POSIX.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { runGit } from '../git/git-environment.js';
import { STATE_DIR_NAME } from '../state/state-dir.js';
import { generatedPathFilter, UNTRACKED_EXCLUDE_PATTERNS, virtualenvDirectories } from './generated-directories.js';
import { ScanInputError } from './scanner-errors.js';

export interface ListFilesOptions {
  exclude?: readonly string[];
  signal?: AbortSignal;
}

export interface RepositoryListing {
  /** Sorted, de-duplicated, without `.hephaestus/` and excluded globs. */
  paths: string[];
  /**
   * Listed paths whose content git does not vouch for: untracked, modified or deleted since the
   * index, or flagged assume-unchanged / skip-worktree; all of them when the repository has git
   * attributes. Every other path is a tracked file git found identical to its index entry (by
   * stat, and by content when the entry is racy).
   */
  unverified: ReadonlySet<string>;
  /** The index's blob id of each path git vouches for (every listed path not in `unverified`). */
  blobs: ReadonlyMap<string, string>;
  /** Hash of git's answer for the listed paths: each tracked one with its tag, mode, blob and stage; each untracked one. */
  stateHash: string;
}

export async function listRepositoryFiles(root: string, options: ListFilesOptions = {}): Promise<string[]> {
  return (await listRepository(root, options)).paths;
}

export async function listRepository(root: string, options: ListFilesOptions = {}): Promise<RepositoryListing> {
  // -v tags each entry (H clean, C modified or deleted, ? untracked, lowercase assume-unchanged,
  // S skip-worktree); -s adds each tracked file's mode, blob and stage.
  const args = ['ls-files', '-z', '-v', '-s', '--cached', '--modified', '--others', '--exclude-standard', ...UNTRACKED_EXCLUDE_PATTERNS];
  const result = await runGit(root, args, options.signal ? { signal: options.signal } : {});
  const entries = result.stdout.split('\0');
  const isExcluded = exclusionMatcher(options.exclude ?? [], virtualenvDirectories(entries.map(pathOfEntry)));
  let attributes = hasInfoAttributes(root);
  const blobs = new Map<string, string>();
  const unverified = new Set<string>();
  const kept: string[] = [];
  for (const entry of entries) {
    if (entry.length < 3) continue;
    const tag = entry[0];
    const file = pathOfEntry(entry);
    // An attributes file applies below its own directory, so one in a skipped directory does not count.
    if (isExcluded(file)) continue;
    if (file === '.gitattributes' || file.endsWith('/.gitattributes')) attributes = true;
    kept.push(entry);
    // "H <mode> <blob> <stage>\t<path>"
    if (tag === 'H') blobs.set(file, entry.slice(2, entry.indexOf('\t')).split(' ')[1]!);
    else unverified.add(file);
  }
  for (const file of unverified) blobs.delete(file);
  // With attributes, the bytes in the working tree may differ from what git compares (line-ending
  // conversion, clean/smudge filters such as LFS): git's word is then taken for no file.
  if (attributes) {
    for (const file of blobs.keys()) unverified.add(file);
    blobs.clear();
  }
  return { paths: [...blobs.keys(), ...unverified].sort(comparePaths), unverified, blobs, stateHash: createHash('sha256').update(kept.join('\0')).digest('hex') };
}

/** The path of one `ls-files -v -s` entry: "? <path>" when untracked, "<tag> <mode> <blob> <stage>\t<path>" when tracked. */
function pathOfEntry(entry: string): string {
  return entry[0] === '?' ? entry.slice(2) : entry.slice(entry.indexOf('\t') + 1);
}

/** Whether the repository has an `info/attributes` file (in the common git directory). */
function hasInfoAttributes(root: string): boolean {
  const dotGit = path.join(root, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return existsSync(path.join(dotGit, 'info', 'attributes'));
    // A linked worktree: `.git` names its git directory, whose `commondir` names the shared one.
    const gitDir = path.resolve(root, readFileSync(dotGit, 'utf8').replace(/^gitdir:\s*/, '').trim());
    const commonDir = path.resolve(gitDir, readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
    return existsSync(path.join(commonDir, 'info', 'attributes'));
  } catch {
    // Anything unusual: assume attributes, so git's word is not taken.
    return true;
  }
}

/** Sorted, de-duplicated, without `.hephaestus/` and excluded globs. */
export function filterScannable(paths: readonly string[], exclude: readonly string[]): string[] {
  const isExcluded = exclusionMatcher(exclude, virtualenvDirectories(paths));
  return [...new Set(paths.filter((entry) => !isExcluded(entry)))].sort(comparePaths);
}

/**
 * Whether a path is left out of scans: the state directory, dependencies, virtualenvs, caches
 * and build output (generated-directories.ts), or one of the configured globs.
 */
function exclusionMatcher(exclude: readonly string[], virtualenvs: readonly string[]): (file: string) => boolean {
  const isExcluded = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
  const isGenerated = generatedPathFilter(virtualenvs);
  return (file) => file === STATE_DIR_NAME || file.startsWith(`${STATE_DIR_NAME}/`) || isGenerated(file) || isExcluded(file);
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
