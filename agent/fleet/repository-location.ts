// What `fleet add --repo` names: a git URL (cloned by each worker into its cache) or a local
// repository path (run in place and promoted locally); and the stable id a repository gets.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { isHephaestusError } from '../core/errors.js';
import { locateRepository, runGit } from '../git/git-environment.js';
import { FleetInputError } from './fleet-errors.js';

export type LocationKind = 'url' | 'path';

export interface RepositoryLocation {
  kind: LocationKind;
  /** The URL as given, or the absolute path of the repository's top level. */
  location: string;
}

const URL_PATTERN = /^[a-z][a-z0-9+.-]*:\/\//i;
// git's scp-like syntax: user@host:path
const SCP_PATTERN = /^[\w.-]+@[\w.-]+:/;
const LS_REMOTE_TIMEOUT_MS = 30_000;

export function looksLikeUrl(repository: string): boolean {
  return URL_PATTERN.test(repository) || SCP_PATTERN.test(repository);
}

/** Checks the repository is usable: a URL git can list, or a local repository with a working tree. */
export async function resolveRepositoryLocation(repository: string, cwd: string = process.cwd()): Promise<RepositoryLocation> {
  if (repository.trim() === '') throw new FleetInputError('--repo is empty; pass a git URL or the path of a local repository.');
  if (looksLikeUrl(repository)) {
    const listed = await runGit(cwd, ['ls-remote', '--heads', repository], { allowFailure: true, signal: AbortSignal.timeout(LS_REMOTE_TIMEOUT_MS) }).catch((error: unknown) => ({
      exitCode: 1,
      stderr: (error as Error).message,
    }));
    if (listed.exitCode !== 0) throw new FleetInputError(`--repo ${repository}: git cannot read this repository (${listed.stderr.trim().split('\n')[0] ?? 'no answer'}). Check the URL and that this machine can fetch it.`);
    return { kind: 'url', location: repository };
  }
  try {
    const located = await locateRepository(path.resolve(cwd, repository));
    return { kind: 'path', location: located.root };
  } catch (error) {
    if (isHephaestusError(error)) throw new FleetInputError(`--repo ${repository}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** A short readable id: the repository's name and a hash of where it is ("widget-3f2a1b"). */
export function repositoryIdOf(location: string): string {
  const base = location.replace(/[/\\]+$/, '').split(/[/\\:]/).pop() ?? 'repository';
  const name = base.replace(/\.git$/, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'repository';
  return `${name}-${createHash('sha256').update(location).digest('hex').slice(0, 6)}`;
}
