// Tool caches inside the jail. Tools keep caches in ordinary places: `node_modules/.cache`
// (eslint --cache-location, babel, nyc, terser, ts-loader…), `.pytest_cache`, `.mypy_cache`,
// `.ruff_cache` next to the project, `$XDG_CACHE_HOME` (~/.cache). A linked `node_modules` is
// read-only in the jail, so a tool caching there failed on the untouched base. The rule: every
// such location is scratch, a tmpfs that is empty when the command starts and gone when it ends.
// It is writable, it is never the user's tree, and no command's cache can feed another
// command's verdict (a test forging `.mypy_cache` for the typecheck running beside it).
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** Cache directories of a project, relative to the command's working directory (the sandbox). */
export const PROJECT_CACHE_DIRECTORIES: readonly string[] = ['.pytest_cache', '.mypy_cache', '.ruff_cache', 'node_modules/.cache'];
/** Read-only shares whose `.cache` is scratch: package directories. */
const PACKAGE_DIRECTORY = 'node_modules';

export interface SymlinkMount {
  /** Where the link is made inside the jail. */
  link: string;
  /** What it points to, as on the host. */
  target: string;
}

export interface ToolCacheMounts {
  /** Fresh tmpfs directories, laid over whatever is there. */
  scratchDirectories: string[];
  /** Read-only shares taken apart to make room for a scratch `.cache`: no longer shared whole… */
  openedShares: string[];
  /** …but entry by entry (read-only) and link by link. */
  shareEntries: string[];
  symlinks: SymlinkMount[];
}

/**
 * The scratch cache directories of a command run in `cwd` (a writable path of the jail) with these
 * read-only shares. A scratch
 * directory inside a read-only share needs a mount point there; when the host's share has none
 * (no `.cache` yet), the share becomes a tmpfs holding each of its entries, read-only, plus the
 * scratch directory. Nothing is created on the host outside the writable paths.
 */
export function toolCacheMounts(cwd: string, readOnlyPaths: readonly string[]): ToolCacheMounts {
  const mounts: ToolCacheMounts = { scratchDirectories: [], openedShares: [], shareEntries: [], symlinks: [] };
  const root = path.resolve(cwd);
  for (const relative of PROJECT_CACHE_DIRECTORIES) {
    const directory = path.join(root, relative);
    // Only where the mount stays inside the working directory: a `node_modules` linked from the
    // repository is handled as the read-only share it leads to.
    if (parentIsRealDirectory(root, path.dirname(directory)) && isDirectoryOrMissing(directory)) mounts.scratchDirectories.push(directory);
  }
  for (const share of new Set(readOnlyPaths.map((directory) => path.resolve(directory)))) {
    if (path.basename(share) !== PACKAGE_DIRECTORY || kindOf(share) !== 'directory') continue;
    const cache = path.join(share, '.cache');
    // A tmpfs cannot be laid over a file or a link.
    if (!isDirectoryOrMissing(cache)) continue;
    mounts.scratchDirectories.push(cache);
    if (kindOf(cache) === 'directory') continue;
    mounts.openedShares.push(share);
    for (const entry of readdirSync(share)) {
      if (entry === '.cache') continue;
      const file = path.join(share, entry);
      if (kindOf(file) === 'symlink') mounts.symlinks.push({ link: file, target: readlinkSync(file) });
      else mounts.shareEntries.push(file);
    }
  }
  return mounts;
}

/** Every directory from `root` down to `directory` is a real directory (no link out of the root). */
function parentIsRealDirectory(root: string, directory: string): boolean {
  for (let current = directory; current.startsWith(root); current = path.dirname(current)) {
    if (kindOf(current) !== 'directory') return false;
    if (current === root) return true;
  }
  return false;
}

function isDirectoryOrMissing(file: string): boolean {
  const kind = kindOf(file);
  return kind === 'directory' || kind === 'missing';
}

function kindOf(file: string): 'directory' | 'symlink' | 'other' | 'missing' {
  const stats = lstatSync(file, { throwIfNoEntry: false });
  if (stats === undefined) return 'missing';
  return stats.isSymbolicLink() ? 'symlink' : stats.isDirectory() ? 'directory' : 'other';
}
