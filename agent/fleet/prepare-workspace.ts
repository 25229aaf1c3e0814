// Where a worker runs a repository: a local path in place; a URL in the worker's own clone under
// its cache directory, cloned the first time and fetched after, with the default branch reset
// to the remote's so every run starts from what the remote has.
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from '../git/git-environment.js';
import { RepositoryError } from '../core/errors.js';
import type { RepositoryEntry } from './fleet-repositories.js';

export interface Workspace {
  repoRoot: string;
  /** The config file the entry carries, written beside the clone; undefined: the repository's own. */
  configFile: string | undefined;
}

export async function prepareWorkspace(entry: RepositoryEntry, cacheDir: string, signal: AbortSignal): Promise<Workspace> {
  const repoRoot = entry.kind === 'path' ? entry.location : await cloneOrFetch(entry, cacheDir, signal);
  if (entry.kind === 'path' && !(await stat(repoRoot).catch(() => null))?.isDirectory()) {
    throw new RepositoryError(`${repoRoot}: no such directory on this machine; a repository added by path runs only on workers that see that path.`);
  }
  let configFile: string | undefined;
  if (entry.config !== null) {
    const dir = path.join(cacheDir, 'configs');
    await mkdir(dir, { recursive: true });
    configFile = path.join(dir, `${entry.id}.json`);
    await writeFile(configFile, entry.config.text);
  }
  return { repoRoot, configFile };
}

async function cloneOrFetch(entry: RepositoryEntry, cacheDir: string, signal: AbortSignal): Promise<string> {
  const clone = path.join(cacheDir, 'repositories', entry.id);
  const usable = (await stat(path.join(clone, '.git')).catch(() => null)) !== null && (await runGit(clone, ['rev-parse', '--verify', '-q', 'HEAD'], { allowFailure: true, signal })).exitCode === 0;
  if (!usable) {
    // A clone interrupted by a dead worker is started again rather than repaired.
    await rm(clone, { recursive: true, force: true });
    await mkdir(path.dirname(clone), { recursive: true });
    await runGit(path.dirname(clone), ['clone', '--quiet', '--no-tags', entry.location, clone], { signal });
    return clone;
  }
  await runGit(clone, ['remote', 'set-url', 'origin', entry.location], { signal });
  await runGit(clone, ['fetch', '--quiet', '--prune', '--no-tags', 'origin'], { signal });
  await runGit(clone, ['remote', 'set-head', 'origin', '--auto'], { signal });
  await runGit(clone, ['reset', '--quiet', '--hard', 'refs/remotes/origin/HEAD'], { signal });
  await runGit(clone, ['clean', '-fdq', '-e', '.hephaestus/'], { signal });
  return clone;
}

/** The remote holds the truth for a clone: a local evolution branch the remote lacks came from a
 *  run that died before pushing (its job was run again) or could not push; it is dropped so the
 *  next run continues from the remote. */
export async function dropLocalBranch(repoRoot: string, branch: string, signal: AbortSignal): Promise<void> {
  await runGit(repoRoot, ['update-ref', '-d', `refs/heads/${branch}`], { allowFailure: true, signal });
}
