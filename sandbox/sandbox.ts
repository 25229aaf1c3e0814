// One leased worktree of the pool: a detached checkout of the base commit where a change set
// is written, validated and committed. Its index is its own, so committing here never
// touches the user's index or working tree.
import { lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GitError } from '../agent/errors.js';
import { runGit, type GitAuthor } from '../agent/git/git-environment.js';
import { normaliseLinkPath } from './link-paths.js';
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
  /** Commits exactly `files` on the detached HEAD; returns the new commit's sha. */
  commit(message: string, files: readonly string[], signal?: AbortSignal): Promise<string>;
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
  const git = (args: string[], signal?: AbortSignal) => runGit(settings.root, args, { author: settings.author, ...(signal ? { signal } : {}) });

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

    async commit(message, files, signal) {
      for (const file of files) await resolveInside(settings.root, file, linkPaths);
      // Start from HEAD's index so nothing a validation command staged can slip in.
      await git(['reset', '-q'], signal);
      await git(['add', '-A', '--', ...files.map((file) => `:(literal)${file}`)], signal);
      // `git commit` refuses an empty commit, which is exactly the check we need.
      const committed = await runGit(settings.root, ['commit', '-q', '--no-verify', '-m', message], { author: settings.author, allowFailure: true, ...(signal ? { signal } : {}) });
      if (committed.exitCode !== 0) {
        if (/nothing to commit|nothing added to commit|no changes added to commit/.test(`${committed.stdout}\n${committed.stderr}`)) {
          throw new NoChangesError(`The planned files do not differ from ${settings.baseCommit.slice(0, 12)}: ${files.join(', ')}.`);
        }
        throw new GitError(`git commit failed in ${settings.root} (exit ${committed.exitCode}): ${committed.stderr.trim() || committed.stdout.trim()}`);
      }
      return (await git(['rev-parse', 'HEAD'], signal)).stdout.trim();
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
