// `run --pr`: opens or updates a draft pull request for the pushed evolution branch with the
// GitHub CLI (`gh`). Without gh, or when it is not authenticated, nothing fails: the outcome
// says how to open the pull request by hand (the exact gh command and a compare URL).
import { execa } from 'execa';
import type { Logger } from 'pino';
import { z } from 'zod';
import { throwIfAborted } from '../core/abort.js';
import { runGit } from '../git/git-environment.js';
import { PullRequestError } from './ci-errors.js';
import { compareUrl, githubRepositoryOf } from './github-remote.js';
import { PUSHABLE_PREFIX } from './sync-remote.js';

const GH_TIMEOUT_MS = 60_000;

export interface PublishPullRequestOptions {
  repoRoot: string;
  remote: string;
  branch: string;
  base: string | null;
  title: string;
  /** File holding the rendered body; gh reads it (--body-file), and so can the printed command. */
  bodyFile: string;
  /** The same file as the user should type it (relative to the repository when inside it). */
  bodyFileShown: string;
  maxOpenPrs: number;
  logger: Logger;
  signal: AbortSignal;
  /** The gh executable (default "gh", found on PATH). */
  gh?: string;
}

export type PullRequestOutcome =
  | { status: 'created' | 'updated'; url: string; message: string }
  | { status: 'limit-reached'; open: string[]; limit: number; message: string }
  | { status: 'manual'; reason: 'gh-missing' | 'gh-unauthenticated'; command: string; compareUrl: string | null; message: string };

const openPullRequestsSchema = z.array(z.object({ number: z.number(), url: z.string(), headRefName: z.string() }));

export async function publishPullRequest(options: PublishPullRequestOptions): Promise<PullRequestOutcome> {
  const { branch, logger } = options;
  const gh = (args: string[]) => runGh(options.gh ?? 'gh', args, options.repoRoot, options.signal);

  const version = await gh(['--version']);
  if (version.missing) return manual(options, 'gh-missing', 'gh (the GitHub CLI) is not installed, so no pull request was opened');
  const auth = await gh(['auth', 'status']);
  if (auth.exitCode !== 0) return manual(options, 'gh-unauthenticated', 'gh is not authenticated (gh auth status failed; set GH_TOKEN or run gh auth login), so no pull request was opened');

  const listed = await gh(['pr', 'list', '--state', 'open', '--limit', '200', '--json', 'number,url,headRefName']);
  if (listed.exitCode !== 0) throw new PullRequestError(`gh pr list failed: ${listed.stderr.trim() || listed.stdout.trim()}`);
  const parsed = openPullRequestsSchema.safeParse(parseJson(listed.stdout));
  if (!parsed.success) throw new PullRequestError(`gh pr list answered something unexpected: ${listed.stdout.slice(0, 200)}`);
  const openPullRequests = parsed.data;

  const existing = openPullRequests.find((pullRequest) => pullRequest.headRefName === branch);
  if (existing) {
    const edited = await gh(['pr', 'edit', String(existing.number), '--title', options.title, '--body-file', options.bodyFile]);
    if (edited.exitCode !== 0) throw new PullRequestError(`gh pr edit ${existing.number} failed: ${edited.stderr.trim() || edited.stdout.trim()}`);
    logger.info({ event: 'pull-request-updated', url: existing.url }, `updated pull request ${existing.url}`);
    return { status: 'updated', url: existing.url, message: `Updated the draft pull request ${existing.url}` };
  }

  const ours = openPullRequests.filter((pullRequest) => pullRequest.headRefName.startsWith(PUSHABLE_PREFIX)).map((pullRequest) => pullRequest.url);
  if (ours.length >= options.maxOpenPrs) {
    const message =
      `ci.maxOpenPrs is ${options.maxOpenPrs} and ${ours.length} Hephaestus pull request${ours.length === 1 ? ' is' : 's are'} open${ours.length > 0 ? ` (${ours.join(', ')})` : ''}; ` +
      `no new pull request was opened for ${branch}. Merge or close one, or raise ci.maxOpenPrs.`;
    logger.warn({ event: 'pull-request-limit', open: ours, limit: options.maxOpenPrs }, message);
    return { status: 'limit-reached', open: ours, limit: options.maxOpenPrs, message };
  }

  const created = await gh(createArguments(options, options.bodyFile));
  if (created.exitCode !== 0) throw new PullRequestError(`gh pr create failed: ${created.stderr.trim() || created.stdout.trim()}`);
  const url = created.stdout.trim().split('\n').pop() ?? '';
  logger.info({ event: 'pull-request-created', url }, `opened draft pull request ${url}`);
  return { status: 'created', url, message: `Opened the draft pull request ${url}` };
}

function createArguments(options: Pick<PublishPullRequestOptions, 'branch' | 'base' | 'title'>, bodyFile: string): string[] {
  return ['pr', 'create', '--draft', '--head', options.branch, ...(options.base ? ['--base', options.base] : []), '--title', options.title, '--body-file', bodyFile];
}

async function manual(options: PublishPullRequestOptions, reason: 'gh-missing' | 'gh-unauthenticated', why: string): Promise<PullRequestOutcome> {
  const command = ['gh', ...createArguments(options, options.bodyFileShown)].map(shellQuote).join(' ');
  const remoteUrl = await runGit(options.repoRoot, ['config', '--get', `remote.${options.remote}.url`], { allowFailure: true, signal: options.signal });
  const repository = remoteUrl.exitCode === 0 ? githubRepositoryOf(remoteUrl.stdout) : null;
  const url = repository ? compareUrl(repository, options.branch, options.base) : null;
  const message = [`${why}. To open it:`, `  ${command}`, ...(url ? [`or open ${url}`] : [])].join('\n');
  options.logger.info({ event: 'pull-request-manual', reason, command, compareUrl: url }, why);
  return { status: 'manual', reason, command, compareUrl: url, message };
}

interface GhResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  missing: boolean;
}

async function runGh(executable: string, args: string[], cwd: string, signal: AbortSignal): Promise<GhResult> {
  const result = await execa(executable, args, {
    cwd,
    reject: false,
    stripFinalNewline: true,
    cancelSignal: AbortSignal.any([signal, AbortSignal.timeout(GH_TIMEOUT_MS)]),
    // gh must never wait for a prompt in an unattended run.
    env: { GH_PROMPT_DISABLED: '1', GH_NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1' },
  });
  throwIfAborted(signal, 'interrupted while talking to gh');
  const missing = (result as { code?: string }).code === 'ENOENT';
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), missing };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Quotes an argument for a POSIX shell when it needs it. */
function shellQuote(argument: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(argument) ? argument : `'${argument.replaceAll("'", `'\\''`)}'`;
}
