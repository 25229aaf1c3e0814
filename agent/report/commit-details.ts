// The commits the report lists: subject, files with lines added and deleted, and the unified
// diff (cut at a size limit so a huge change cannot bloat the page), read with two git calls.
import { runGit } from '../git/git-environment.js';

export interface CommitFile {
  path: string;
  /** Null for a binary file. */
  added: number | null;
  deleted: number | null;
}

export interface CommitDetails {
  sha: string;
  subject: string;
  /** The run and cycle that made it. */
  run: number;
  n: number;
  files: CommitFile[];
  added: number;
  deleted: number;
  diff: string;
  /** The diff was longer than the limit and ends early. */
  diffTruncated: boolean;
}

export interface CommitOrigin {
  sha: string;
  run: number;
  n: number;
}

export const MAX_DIFF_CHARS = 100_000;
const RECORD_SEPARATOR = '\u001e';
const UNIT_SEPARATOR = '\u001f';

/** Details of each commit in `origins` that still exists, in the order given; missing ones are left out. */
export async function readCommitDetails(repoRoot: string, origins: readonly CommitOrigin[], signal?: AbortSignal): Promise<CommitDetails[]> {
  if (origins.length === 0) return [];
  const existing = await existingCommits(repoRoot, origins.map((origin) => origin.sha), signal);
  const present = origins.filter((origin) => existing.has(origin.sha));
  if (present.length === 0) return [];
  const shown = await runGit(
    repoRoot,
    ['log', '--no-walk=unsorted', '--no-color', '--no-ext-diff', '--no-renames', `--format=${RECORD_SEPARATOR}%H${UNIT_SEPARATOR}%s`, '--numstat', '--patch', ...new Set(present.map((origin) => origin.sha)), '--'],
    signal ? { signal } : {},
  );
  const parsed = new Map(shown.stdout.split(RECORD_SEPARATOR).filter((chunk) => chunk.includes(UNIT_SEPARATOR)).map(parseCommitChunk).map((commit) => [commit.sha, commit]));
  return present.flatMap((origin) => {
    const commit = parsed.get(origin.sha);
    return commit ? [{ ...commit, run: origin.run, n: origin.n }] : [];
  });
}

async function existingCommits(repoRoot: string, shas: readonly string[], signal?: AbortSignal): Promise<Set<string>> {
  const checked = await runGit(repoRoot, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: `${shas.join('\n')}\n`, ...(signal ? { signal } : {}) });
  const found = new Set<string>();
  for (const line of checked.stdout.split('\n')) {
    const [sha, type] = line.split(' ');
    if (type === 'commit' && sha) found.add(sha);
  }
  return found;
}

function parseCommitChunk(chunk: string): Omit<CommitDetails, 'run' | 'n'> {
  const newline = chunk.indexOf('\n');
  const [sha = '', subject = ''] = (newline === -1 ? chunk : chunk.slice(0, newline)).split(UNIT_SEPARATOR);
  const body = newline === -1 ? '' : chunk.slice(newline + 1);
  const diffStart = body.search(/^diff --git /m);
  const stats = diffStart === -1 ? body : body.slice(0, diffStart);
  const files: CommitFile[] = [];
  for (const line of stats.split('\n')) {
    const match = /^(\d+|-)\t(\d+|-)\t(.+)$/.exec(line);
    if (!match) continue;
    files.push({ path: match[3]!, added: match[1] === '-' ? null : Number(match[1]), deleted: match[2] === '-' ? null : Number(match[2]) });
  }
  const diff = diffStart === -1 ? '' : body.slice(diffStart).trimEnd();
  return {
    sha,
    subject,
    files,
    added: files.reduce((total, file) => total + (file.added ?? 0), 0),
    deleted: files.reduce((total, file) => total + (file.deleted ?? 0), 0),
    diff: diff.length > MAX_DIFF_CHARS ? diff.slice(0, Math.max(0, diff.lastIndexOf('\n', MAX_DIFF_CHARS))) : diff,
    diffTruncated: diff.length > MAX_DIFF_CHARS,
  };
}
