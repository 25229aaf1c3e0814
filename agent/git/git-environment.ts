// Hermetic git: no user/system config, no hooks, no prompts, a fixed author.
// Every git process Hephaestus starts uses this environment and these -c options.
import { stat } from 'node:fs/promises';
import { execa } from 'execa';
import { GitError, RepositoryError } from '../core/errors.js';

export interface GitAuthor {
  name: string;
  email: string;
}

export const DEFAULT_AUTHOR: GitAuthor = { name: 'Hephaestus', email: 'hephaestus@localhost' };

/** Options passed as `git -c` so repository-local hooks and signing never run. */
export const HERMETIC_GIT_OPTIONS = [
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'commit.gpgSign=false',
  '-c', 'tag.gpgSign=false',
  '-c', 'core.fsmonitor=false',
  '-c', 'core.autocrlf=false',
  '-c', 'gc.auto=0',
];

export function gitEnvironment(author: GitAuthor = DEFAULT_AUTHOR, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!key.startsWith('GIT_')) environment[key] = value;
  }
  return {
    ...environment,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    LC_ALL: 'C',
  };
}

export interface RunGitOptions {
  author?: GitAuthor;
  signal?: AbortSignal;
  input?: string;
  /** GIT_INDEX_FILE: a private index, so building a tree never touches a worktree's own. */
  indexFile?: string;
  /** Return the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function runGit(cwd: string, args: readonly string[], options: RunGitOptions = {}): Promise<GitResult> {
  const result = await execa('git', [...HERMETIC_GIT_OPTIONS, ...args], {
    cwd,
    env: options.indexFile === undefined ? gitEnvironment(options.author) : { ...gitEnvironment(options.author), GIT_INDEX_FILE: options.indexFile },
    extendEnv: false,
    reject: false,
    stripFinalNewline: true,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  const exitCode = result.exitCode ?? -1;
  if (exitCode !== 0 && !options.allowFailure) {
    throw new GitError(`git ${args.join(' ')} failed in ${cwd} (exit ${exitCode}): ${String(result.stderr).trim() || String(result.stdout).trim()}`, {
      details: { cwd, args, exitCode },
    });
  }
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode };
}

export interface RepositoryLocation {
  /** The working tree's top-level directory. */
  root: string;
  /** The common git directory (shared by linked worktrees); holds info/exclude. */
  commonDir: string;
}

/** Resolves the repository containing `dir`, or throws RepositoryError (exit 3). */
export async function locateRepository(dir: string): Promise<RepositoryLocation> {
  const info = await stat(dir).catch(() => null);
  if (!info) throw new RepositoryError(`${dir}: no such directory. Check the --repo path.`);
  if (!info.isDirectory()) throw new RepositoryError(`${dir}: not a directory. Pass the repository's directory with --repo.`);
  const result = await runGit(dir, ['rev-parse', '--show-toplevel', '--path-format=absolute', '--git-common-dir'], { allowFailure: true }).catch(
    (error: unknown) => {
      throw new RepositoryError(`${dir}: cannot run git here (${(error as Error).message}).`, { cause: error });
    },
  );
  if (result.exitCode !== 0) {
    const reason = /not a git repository/i.test(result.stderr) ? 'not a git repository' : result.stderr.trim();
    throw new RepositoryError(`${dir}: ${reason}. Run Hephaestus inside a git repository (git init), or pass --repo DIR.`);
  }
  const [root, commonDir] = result.stdout.split('\n');
  if (!root || !commonDir) throw new RepositoryError(`${dir}: ${result.stdout ? 'a bare repository has no working tree' : 'git gave no repository root'}.`);
  return { root, commonDir };
}
