// `sandbox.linkPaths` (default node_modules): big, untracked directories that every sandbox
// shares with the repository through a symlink instead of a copy or a fresh install. Links
// inside them that lead back into the repository (workspaces, `npm link`, a package that
// depends on itself) would run the user's tree: such a directory becomes a directory of links
// in the sandbox, with those entries re-pointed at the sandbox's own copy.
import { lstat, mkdir, readdir, readlink, realpath, rm, symlink } from 'node:fs/promises';
import path from 'node:path';

/** Normalised relative POSIX form ("node_modules", "packages/a/node_modules"). */
export function normaliseLinkPath(linkPath: string): string {
  return path.posix.normalize(linkPath.replaceAll('\\', '/')).replace(/^\.\/+/, '').replace(/\/+$/, '');
}

/** `git clean` patterns that keep the links (they are untracked, and with -x not ignored). */
export function cleanExclusions(linkPaths: readonly string[]): string[] {
  return linkPaths.flatMap((linkPath) => ['-e', `/${normaliseLinkPath(linkPath)}`]);
}

/** An entry of a linked directory that resolves into the repository, outside that directory. */
export interface LinkIntoRepository {
  /** The entry, relative to the linked directory ("my-lib", "@scope/pkg"). */
  entry: string;
  /** Where it resolves, relative to the repository root ("packages/pkg", "."). */
  target: string;
}

/** Makes `<sandbox>/<linkPath>` share `<repo>/<linkPath>`, re-pointing links into the repository. */
export async function linkSharedPaths(repoRoot: string, sandboxRoot: string, linkPaths: readonly string[]): Promise<string[]> {
  // The linked targets (absolute), which the jail shows read-only.
  const targets: string[] = [];
  for (const linkPath of linkPaths.map(normaliseLinkPath)) {
    const target = path.join(repoRoot, linkPath);
    const link = path.join(sandboxRoot, linkPath);
    if (!(await exists(target))) continue;
    targets.push(target);
    const intoRepository = await linksIntoRepository(repoRoot, linkPath);
    const current = await lstat(link).catch(() => null);
    if (intoRepository.length === 0 && current?.isSymbolicLink() && (await readlink(link)) === target) continue;
    if (current) await rm(link, { recursive: true, force: true });
    else await mkdir(path.dirname(link), { recursive: true });
    if (intoRepository.length === 0) await symlink(target, link, 'dir');
    else await linkEntries(target, link, sandboxRoot, intoRepository);
  }
  return targets;
}

/** Entries (top level and one scope level down) of `<repo>/<linkPath>` whose real path is in the repo. */
export async function linksIntoRepository(repoRoot: string, linkPath: string): Promise<LinkIntoRepository[]> {
  const realRoot = await realpath(repoRoot);
  const directory = path.join(repoRoot, linkPath);
  const realDirectory = await realpath(directory).catch(() => null);
  if (realDirectory === null) return [];
  const found: LinkIntoRepository[] = [];
  const inspect = async (entry: string) => {
    const stats = await lstat(path.join(directory, entry)).catch(() => null);
    if (!stats?.isSymbolicLink()) return;
    const resolved = await realpath(path.join(directory, entry)).catch(() => null);
    if (resolved === null || isInside(realDirectory, resolved) || !isInside(realRoot, resolved)) return;
    found.push({ entry, target: path.relative(realRoot, resolved).split(path.sep).join('/') || '.' });
  };
  for (const entry of await readdir(directory).catch(() => [] as string[])) {
    if (entry.startsWith('@')) {
      for (const scoped of await readdir(path.join(directory, entry)).catch(() => [] as string[])) await inspect(`${entry}/${scoped}`);
    } else {
      await inspect(entry);
    }
  }
  return found;
}

/** `link` as a real directory of per-entry links to `target`, re-pointed entries into the sandbox. */
async function linkEntries(target: string, link: string, sandboxRoot: string, intoRepository: readonly LinkIntoRepository[]): Promise<void> {
  const repointed = new Map(intoRepository.map((entry) => [entry.entry, entry.target]));
  const scopes = new Set(intoRepository.map((entry) => entry.entry.split('/')[0]!).filter((entry) => entry.startsWith('@')));
  await mkdir(link, { recursive: true });
  const linkEntry = async (entry: string) => {
    const inRepository = repointed.get(entry);
    const destination = inRepository === undefined ? path.join(target, entry) : path.join(sandboxRoot, ...inRepository.split('/'));
    await symlink(destination, path.join(link, entry), 'dir');
  };
  for (const entry of await readdir(target)) {
    if (!scopes.has(entry)) {
      await linkEntry(entry);
      continue;
    }
    await mkdir(path.join(link, entry));
    for (const scoped of await readdir(path.join(target, entry))) await linkEntry(`${entry}/${scoped}`);
  }
}

function isInside(directory: string, file: string): boolean {
  return file === directory || file.startsWith(`${directory}${path.sep}`);
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}
