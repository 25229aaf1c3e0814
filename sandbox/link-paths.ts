// `sandbox.linkPaths` (default node_modules): big, untracked directories that every sandbox
// shares with the repository through a symlink instead of a copy or a fresh install.
import { lstat, mkdir, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';

/** Normalised relative POSIX form ("node_modules", "packages/a/node_modules"). */
export function normaliseLinkPath(linkPath: string): string {
  return path.posix.normalize(linkPath.replaceAll('\\', '/')).replace(/^\.\/+/, '').replace(/\/+$/, '');
}

/** `git clean` patterns that keep the links (they are untracked, and with -x not ignored). */
export function cleanExclusions(linkPaths: readonly string[]): string[] {
  return linkPaths.flatMap((linkPath) => ['-e', `/${normaliseLinkPath(linkPath)}`]);
}

/** Makes `<sandbox>/<linkPath>` a symlink to `<repo>/<linkPath>` for every one the repo has. */
export async function linkSharedPaths(repoRoot: string, sandboxRoot: string, linkPaths: readonly string[]): Promise<void> {
  for (const linkPath of linkPaths.map(normaliseLinkPath)) {
    const target = path.join(repoRoot, linkPath);
    const link = path.join(sandboxRoot, linkPath);
    if (!(await exists(target))) continue;
    const current = await lstat(link).catch(() => null);
    if (current?.isSymbolicLink() && (await readlink(link)) === target) continue;
    if (current) await rm(link, { recursive: true, force: true });
    else await mkdir(path.dirname(link), { recursive: true });
    await symlink(target, link, 'dir');
  }
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}
