// Commit messages in Conventional Commits form (`type(scope): description`, subject ≤ 72
// characters). The template derives them from the objective and the files; with
// git.commitMessages = "llm" the light model writes one, which is sanitised (no reasoning,
// no markdown, a conventional subject) and replaced by the template when unusable.
import type { Logger } from 'pino';
import type { LlmClient, UsageMeter } from '../llm/types.js';
import { createTestFileMatcher } from '../scanner/test-files.js';

export const SUBJECT_MAX_LENGTH = 72;
const CONVENTIONAL_SUBJECT = /^(feat|fix|docs|style|refactor|perf|test|build|ci|chore|revert)(\([\w./-]+\))?!?: \S/;
const DOC_FILE = /(^|\/)(docs?\/.*|[^/]*\.(md|mdx|rst|txt|adoc))$/i;
const CONFIG_FILE = /(^|\/)(package\.json|tsconfig[^/]*\.json|[^/]*\.config\.[cm]?[jt]s|\.[^/]+rc(\.\w+)?|[^/]*\.(ya?ml|toml|ini))$|^[^/]+\.json$/i;
const isTestFile = createTestFileMatcher([]);

export interface CommitMessageInput {
  objective: string;
  files: readonly string[];
}

export function templateCommitMessage(input: CommitMessageInput): string {
  const prefix = conventionalPrefix(input);
  const subject = fitSubject(prefix, describe(input.objective));
  const body = [wrap(input.objective.trim(), SUBJECT_MAX_LENGTH), '', 'Files:', ...input.files.map((file) => `- ${file}`)].join('\n');
  return `${subject}\n\n${body}\n`;
}

/** `type(scope)` from the files (tests, docs, config) or the objective's wording. */
export function conventionalPrefix(input: CommitMessageInput): string {
  const files = input.files;
  const every = (test: (file: string) => boolean) => files.length > 0 && files.every(test);
  const objective = input.objective.toLowerCase();
  const type = every(isTestFile)
    ? 'test'
    : every((file) => DOC_FILE.test(file))
      ? 'docs'
      : every((file) => CONFIG_FILE.test(file))
        ? 'chore'
        : /\b(fix|bug|repair|correct|crash|broken)/.test(objective)
          ? 'fix'
          : /\b(refactor|simplif|clean ?up|extract|rename|restructure)/.test(objective)
            ? 'refactor'
            : /\b(perf|performance|faster|speed|optimi[sz])/.test(objective)
              ? 'perf'
              : 'feat';
  const directories = new Set(files.map((file) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : null)));
  const [scope] = directories;
  return directories.size === 1 && scope ? `${type}(${scope})` : type;
}

/**
 * The subject for a long objective: drops a trailing parenthetical, then shortens paths to
 * their file names, and only then cuts at a word boundary, marking the cut with "…".
 */
export function fitSubject(prefix: string, description: string): string {
  const candidates = [description, description.replace(/\s*\([^()]*\)\s*$/, '')];
  candidates.push(candidates[1]!.replace(/(?:[\w.@-]+\/)+([\w.@-]+)/g, '$1'));
  for (const candidate of candidates) {
    const subject = `${prefix}: ${candidate}`.replace(/\s+/g, ' ').trim().replace(/\.+$/, '');
    if (subject.length <= SUBJECT_MAX_LENGTH) return subject;
  }
  const shortest = truncateSubject(`${prefix}: ${candidates[2]!}`.slice(0, SUBJECT_MAX_LENGTH - 1));
  return `${shortest.replace(/\s+\S*$/, '')}…`;
}

/** Cuts at a word boundary to ≤ 72 characters, without a trailing period. */
export function truncateSubject(subject: string): string {
  const single = subject.replace(/\s+/g, ' ').trim().replace(/\.+$/, '');
  if (single.length <= SUBJECT_MAX_LENGTH) return single;
  const cut = single.slice(0, SUBJECT_MAX_LENGTH + 1);
  const space = cut.lastIndexOf(' ');
  return (space > SUBJECT_MAX_LENGTH / 2 ? cut.slice(0, space) : cut.slice(0, SUBJECT_MAX_LENGTH)).replace(/[\s,;:.-]+$/, '');
}

/**
 * Cleans a model-written message: drops reasoning blocks, code fences, preambles and
 * markdown, keeps a conventional subject (prefixing `fallbackPrefix` when the model gave
 * none) and at most 20 body lines. Returns null when nothing usable is left.
 */
export function sanitiseCommitMessage(text: string, fallbackPrefix: string): string | null {
  const withoutReasoning = text
    .replace(/<(think|thinking|reasoning|analysis)>[\s\S]*?(<\/\1>|$)/gi, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  const lines = withoutReasoning
    .split('\n')
    .filter((line) => !/^\s*```/.test(line))
    .map((line) => line.replace(/\*\*|__|`/g, '').replace(/^\s*#+\s*/, '').trimEnd());
  while (lines.length > 0 && (lines[0]!.trim() === '' || /^(sure|here('s| is)|certainly|commit message)\b.*:?\s*$/i.test(lines[0]!.trim()))) lines.shift();
  const first = lines.shift();
  if (first === undefined) return null;
  const stripped = first.trim().replace(/^(subject|title)\s*:\s*/i, '').replace(/^["']|["']$/g, '');
  if (stripped === '') return null;
  const subject = truncateSubject(CONVENTIONAL_SUBJECT.test(stripped) ? stripped : `${fallbackPrefix}: ${stripped.charAt(0).toLowerCase()}${stripped.slice(1)}`);
  const body = lines.join('\n').trim().split('\n').slice(0, 20).join('\n').trim();
  return body === '' ? `${subject}\n` : `${subject}\n\n${body}\n`;
}

export interface WriteCommitMessageOptions extends CommitMessageInput {
  mode: 'template' | 'llm';
  llm?: LlmClient;
  /** Unified diff of the change, shown to the model (trimmed). */
  diff?: string;
  meter?: UsageMeter;
  logger: Logger;
  signal?: AbortSignal;
}

const SYSTEM_PROMPT = [
  'You write one git commit message in Conventional Commits form.',
  'First line: type(scope): description, at most 72 characters, imperative mood, no trailing period.',
  'Then optionally a blank line and a short plain-text body (what changed and why).',
  'Reply with the commit message only: no markdown, no code fences, no explanations.',
].join('\n');
const DIFF_LIMIT = 6_000;

export async function writeCommitMessage(options: WriteCommitMessageOptions): Promise<string> {
  const template = templateCommitMessage(options);
  if (options.mode !== 'llm' || !options.llm) return template;
  const diff = options.diff ? `\n\nDiff:\n${options.diff.slice(0, DIFF_LIMIT)}` : '';
  try {
    const reply = await options.llm.complete({
      role: 'light',
      purpose: 'commit-message',
      system: SYSTEM_PROMPT,
      messages: [{ role: 'user', content: `Objective: ${options.objective}\n\nFiles:\n${options.files.join('\n')}${diff}` }],
      responseFormat: 'text',
      maxTokens: 300,
      meter: options.meter,
      signal: options.signal,
    });
    const message = sanitiseCommitMessage(reply.text, conventionalPrefix(options));
    if (message !== null) return message;
    options.logger.warn({ event: 'commit-message-fallback' }, 'the model wrote no usable commit message; using the template');
  } catch (error) {
    if (options.signal?.aborted) throw error;
    options.logger.warn({ event: 'commit-message-fallback', error: (error as Error).message }, 'writing the commit message with the model failed; using the template');
  }
  return template;
}

function describe(objective: string): string {
  const firstLine = objective.trim().split('\n')[0] ?? '';
  const text = firstLine.replace(/\.+$/, '');
  // Keep acronyms and identifiers ("API", "README"), lowercase a capitalised first word.
  return /^[A-Z][a-z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}

function wrap(text: string, width: number): string {
  return text
    .split('\n')
    .map((paragraph) => {
      const lines: string[] = [];
      let line = '';
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        if (line !== '' && line.length + 1 + word.length > width) {
          lines.push(line);
          line = word;
        } else {
          line = line === '' ? word : `${line} ${word}`;
        }
      }
      lines.push(line);
      return lines.join('\n');
    })
    .join('\n');
}
