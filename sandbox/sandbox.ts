// One leased worktree of the pool: a detached checkout of the base commit where a change set
// is written and validated. The commit is built from the change set itself (blobs, a private
// index, commit-tree on the base), never re-read from the worktree, where validation commands
// could have written anything; the user's index and working tree are never touched.
import { lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runGit, type GitAuthor } from '../agent/git/git-environment.js';
import { cleanExclusions, normaliseLinkPath } from './link-paths.js';
import { NoChangesError, SandboxPathError } from './sandbox-errors.js';

/**
 * What a command jailed in this sandbox must not see and may read: the jail itself is built in
 * strategies/commands/ from these, the sandbox root (writable) and the sandbox's `.git` (masked).
 */
export interface SandboxBoundaries {
  /** The user's repository and its git directory: invisible inside the jail. */
  hiddenPaths: readonly string[];
  /** Linked paths (node_modules…) as absolute paths in the repository: read-only inside the jail. */
  readOnlyPaths: readonly string[];
}

/** Relative POSIX path → new content, or null to delete the file. */
export type ChangeSet = ReadonlyMap<string, string | null>;

export interface Sandbox {
  /** Slot number in the pool; also names per-sandbox state such as tsc build info. */
  readonly id: number;
  /** The worktree directory. */
  readonly root: string;
  /** The repository's `.hephaestus/` directory. */
  readonly stateDir: string;
  /** Full sha the sandbox was reset to. */
  readonly baseCommit: string;
  /** Variables every validation command here gets (PYTHONPATH with the sandbox's source roots). */
  readonly environment: Readonly<Record<string, string>>;
  readonly boundaries: SandboxBoundaries;
  /** Writes the changed files (null deletes). Paths are checked to stay inside the sandbox. */
  materialize(changes: ChangeSet): Promise<void>;
  /**
   * Commits exactly `changes` (the validated content) on top of the base commit; returns the
   * new commit's sha. The worktree's files, index and HEAD are not read or moved.
   */
  commit(message: string, changes: ChangeSet, signal?: AbortSignal): Promise<string>;
  /** Resets the worktree to `commit` (checkout --force + clean), e.g. before a sanity step. */
  resetTo(commit: string, signal?: AbortSignal): Promise<void>;
}

export interface SandboxSettings {
  id: number;
  root: string;
  stateDir: string;
  baseCommit: string;
  linkPaths: readonly string[];
  author: GitAuthor;
  environment?: Readonly<Record<string, string>>;
  boundaries: SandboxBoundaries;
}

export function createSandbox(settings: SandboxSettings): Sandbox {
  const linkPaths = settings.linkPaths.map(normaliseLinkPath);
  const git = (args: string[], signal?: AbortSignal, input?: string) =>
    runGit(settings.root, args, { author: settings.author, ...(signal ? { signal } : {}), ...(input !== undefined ? { input } : {}) });

  return {
    id: settings.id,
    root: settings.root,
    stateDir: settings.stateDir,
    baseCommit: settings.baseCommit,
    environment: settings.environment ?? {},
    boundaries: settings.boundaries,

    async materialize(changes) {
      const targets = await Promise.all([...changes.keys()].map((file) => resolveInside(settings.root, file, linkPaths)));
      for (const [index, content] of [...changes.values()].entries()) {
        const target = targets[index]!;
        if (content === null) {
          await rm(target, { force: true });
        } else {
          // Replace a symlink instead of writing through it to wherever it points.
          if ((await lstat(target).catch(() => null))?.isSymbolicLink()) await rm(target);
          await mkdir(path.dirname(target), { recursive: true });
          await writeFile(target, content);
        }
      }
    },

    async commit(message, changes, signal) {
      const files = [...changes.keys()].sort();
      for (const file of files) await resolveInside(settings.root, file, linkPaths);
      const base = settings.baseCommit;
      // Existing modes are kept (an executable stays executable); anything else becomes a regular file.
      const listing = (await git(['ls-tree', '-z', base, '--', ...files.map((file) => `:(literal)${file}`)], signal)).stdout;
      const modes = new Map(listing.split('\0').filter(Boolean).map((entry) => [entry.slice(entry.indexOf('\t') + 1), entry.split(' ')[0]!]));
      const indexFile = path.join(settings.stateDir, `commit-index-${settings.id}`);
      const indexed = (args: string[], input?: string) => runGit(settings.root, args, { author: settings.author, indexFile, ...(input !== undefined ? { input } : {}), ...(signal ? { signal } : {}) });
      try {
        await rm(indexFile, { force: true });
        await indexed(['read-tree', base]);
        for (const file of files) {
          const content = changes.get(file);
          if (content === null || content === undefined) {
            await indexed(['update-index', '--force-remove', '--', file]);
            continue;
          }
          // --no-filters: no attribute from the worktree can rewrite what was validated.
          const blob = (await indexed(['hash-object', '-w', '--no-filters', '--stdin'], content)).stdout.trim();
          const mode = modes.get(file) === '100755' ? '100755' : '100644';
          await indexed(['update-index', '--add', '--cacheinfo', `${mode},${blob},${file}`]);
        }
        const tree = (await indexed(['write-tree'])).stdout.trim();
        const baseTree = (await git(['rev-parse', `${base}^{tree}`], signal)).stdout.trim();
        if (tree === baseTree) throw new NoChangesError(`The planned files do not differ from ${base.slice(0, 12)}: ${files.join(', ')}.`);
        return (await git(['commit-tree', tree, '-p', base, '-F', '-'], signal, message)).stdout.trim();
      } finally {
        await rm(indexFile, { force: true });
      }
    },

    async resetTo(commit, signal) {
      await git(['checkout', '-q', '--force', '--detach', commit], signal);
      await git(['clean', '-q', '-fdx', ...cleanExclusions(settings.linkPaths)], signal);
    },
  };
}

/** Absolute path of `file` inside `root`, or SandboxPathError. */
async function resolveInside(root: string, file: string, linkPaths: readonly string[]): Promise<string> {
  const reject = (why: string) => {
    throw new SandboxPathError(`${JSON.stringify(file)}: ${why}; give a path relative to the repository root.`, { details: { file } });
  };
  if (file === '' || path.posix.isAbsolute(file) || path.win32.isAbsolute(file)) reject('not a relative path');
  const segments = file.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) reject('empty, "." or ".." segment');
  if (segments[0] === '.git') reject('inside .git');
  if (linkPaths.some((linkPath) => file === linkPath || file.startsWith(`${linkPath}/`))) reject('inside a linked path shared with the repository');
  // No existing parent may be a symlink: writing through it could land outside the sandbox.
  let current = root;
  for (const segment of segments.slice(0, -1)) {
    current = path.join(current, segment);
    const stats = await lstat(current).catch(() => null);
    if (stats === null) break;
    if (stats.isSymbolicLink()) reject(`${path.relative(root, current)} is a symlink`);
  }
  return path.join(root, ...segments);
}
