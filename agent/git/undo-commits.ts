// `hephaestus undo [N]`: reverts the last N evolution commits of the branch with one new revert
// commit, promoted by the same compare-and-swap as every evolution commit. History is never
// rewritten (the reverted commits stay, pushed or not), and the user's working tree and index
// are never touched: the revert is computed in a private index file.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { HephaestusError, UsageError, type HephaestusErrorOptions } from '../core/errors.js';
import { runGit, type GitAuthor } from './git-environment.js';
import { promoteCommit, type Promotion } from '../promotion/promote-commit.js';
import { sanitiseCommitMessage } from './sanitise-commit-message.js';
import { fitSubject } from './commit-subject.js';

/** Later commits changed the same lines, so a commit cannot be reverted on its own. */
export class UndoConflictError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('UNDO_CONFLICT', message, options);
  }
}

export interface UndoOptions {
  repoRoot: string;
  /** A directory for the private index file (the state directory). */
  scratchDir: string;
  branch: string;
  /** The agent's author: evolution commits are the ones it wrote. */
  author: GitAuthor;
  count: number;
  logger: Logger;
  signal?: AbortSignal;
}

export interface EvolutionCommit {
  commit: string;
  subject: string;
}

export interface UndoResult {
  reverted: EvolutionCommit[];
  revertCommit: string;
  promotion: Promotion;
}

const REVERTS = /This reverts commit ([0-9a-f]{40})/g;
const HISTORY_LIMIT = 1_000;

/** The branch's evolution commits not reverted yet, newest first, up to the first commit someone else wrote. */
export async function undoableCommits(repoRoot: string, branch: string, author: GitAuthor, signal?: AbortSignal): Promise<{ tip: string; commits: EvolutionCommit[] }> {
  const signalOption = signal ? { signal } : {};
  const tip = await runGit(repoRoot, ['rev-parse', '--verify', '-q', `refs/heads/${branch}^{commit}`], { allowFailure: true, ...signalOption });
  if (tip.exitCode !== 0) throw new UsageError(`the branch ${branch} does not exist yet, so there is nothing to undo.`);
  const log = await runGit(repoRoot, ['log', '--first-parent', `--max-count=${HISTORY_LIMIT}`, '--format=%H%x00%ae%x00%P%x00%s%x00%B%x1e', tip.stdout.trim()], signalOption);
  const reverted = new Set<string>();
  const commits: EvolutionCommit[] = [];
  for (const entry of log.stdout.split('\x1e')) {
    const [commit, email, parents, subject, body] = entry.replace(/^\n/, '').split('\x00');
    if (!commit || body === undefined) continue;
    const reverts = [...body.matchAll(REVERTS)].map((match) => match[1]!);
    if (email !== author.email || (parents ?? '').split(' ').filter(Boolean).length !== 1) break;
    if (reverts.length > 0) {
      for (const sha of reverts) reverted.add(sha);
      continue;
    }
    if (!reverted.has(commit)) commits.push({ commit, subject: subject ?? '' });
  }
  return { tip: tip.stdout.trim(), commits };
}

export async function undoEvolutionCommits(options: UndoOptions): Promise<UndoResult> {
  const signalOption = options.signal ? { signal: options.signal } : {};
  const { tip, commits } = await undoableCommits(options.repoRoot, options.branch, options.author, options.signal);
  if (commits.length === 0) throw new UsageError(`${options.branch} has no evolution commit left to undo (the agent's commits since the last commit someone else made are all reverted already).`);
  if (commits.length < options.count) {
    throw new UsageError(`${options.branch} has only ${commits.length} evolution commit${commits.length === 1 ? '' : 's'} left to undo, not ${options.count}. Run "hephaestus undo ${commits.length}" to undo them all.`);
  }
  const undone = commits.slice(0, options.count);

  // A private index: the revert is applied there, never in the user's index or files.
  const index = path.join(options.scratchDir, `undo-index-${randomBytes(4).toString('hex')}`);
  let tree: string;
  try {
    await runGit(options.repoRoot, ['read-tree', tip], { indexFile: index, ...signalOption });
    for (const { commit, subject } of undone) {
      const diff = await runGit(options.repoRoot, ['diff', '--binary', '--full-index', `${commit}^`, commit], signalOption);
      if (diff.stdout.trim() === '') continue;
      const applied = await runGit(options.repoRoot, ['apply', '--cached', '--reverse', '--whitespace=nowarn'], { indexFile: index, input: `${diff.stdout}\n`, allowFailure: true, ...signalOption });
      if (applied.exitCode !== 0) {
        throw new UndoConflictError(
          `cannot undo ${commit.slice(0, 12)} ("${subject}") on its own: a later commit on ${options.branch} changed the same lines. Undo that one too (a larger N), or revert by hand. Nothing was changed. (${applied.stderr.trim().split('\n')[0] ?? ''})`,
          { details: { commit } },
        );
      }
    }
    tree = (await runGit(options.repoRoot, ['write-tree'], { indexFile: index, ...signalOption })).stdout.trim();
  } finally {
    await rm(index, { force: true });
  }

  const message = sanitiseCommitMessage(
    [
      undone.length === 1 ? fitSubject('revert', undone[0]!.subject) : `revert: undo the last ${undone.length} evolution commits`,
      '',
      ...undone.map(({ commit, subject }) => `This reverts commit ${commit} (${subject}).`),
      '',
      `Written by "hephaestus undo ${options.count}".`,
    ].join('\n'),
  );
  const revertCommit = (await runGit(options.repoRoot, ['commit-tree', tree, '-p', tip, '-F', '-'], { author: options.author, input: message, ...signalOption })).stdout.trim();
  const promotion = await promoteCommit({ repoRoot: options.repoRoot, branch: options.branch, commit: revertCommit, expectedTip: tip, logger: options.logger, reason: `hephaestus: undo ${options.count}`, ...signalOption });
  options.logger.info({ event: 'undo', reverted: undone.map((entry) => entry.commit), revertCommit }, `reverted ${undone.length} evolution commit(s) on ${options.branch}`);
  return { reverted: undone, revertCommit, promotion };
}
