// Commit messages in Conventional Commits form (`type(scope): description`, subject ≤ 72
// characters). The template derives them from the objective and the files; with
// git.commitMessages = "llm" the light model writes one (no reasoning, no markdown, a
// conventional subject), replaced by the template when unusable. Both pass through the one
// sanitiser (sanitise-commit-message.ts) before Hephaestus's trailers are appended.
import type { Logger } from 'pino';
import type { LlmClient, UsageMeter } from '../llm/types.js';
import { createTestFileMatcher } from '../scanner/test-files.js';
import { SUBJECT_MAX_LENGTH, fitSubject, truncateSubject } from './commit-subject.js';
import { appendTrailers, sanitiseCommitMessage, stripControlCharacters } from './sanitise-commit-message.js';

const CONVENTIONAL_SUBJECT = /^(feat|fix|docs|style|refactor|perf|test|build|ci|chore|revert)(\([\w./-]+\))?!?: \S/;
const DOC_FILE = /(^|\/)(docs?\/.*|[^/]*\.(md|mdx|rst|txt|adoc))$/i;
const CONFIG_FILE = /(^|\/)(package\.json|tsconfig[^/]*\.json|[^/]*\.config\.[cm]?[jt]s|\.[^/]+rc(\.\w+)?|[^/]*\.(ya?ml|toml|ini))$|^[^/]+\.json$/i;
/** Objectives that only document: the change is docs even when it touches code files (doc comments). */
const DOCUMENTING = /^(document\b|add (?:(?:a|the|missing) )?(?:js|ts)?doc\b|(?:add|write|improve|update) (?:(?:a|the|missing) )?(?:jsdoc|tsdoc|docstrings?|doc comments?|documentation|readme|docs)\b)/i;
const isTestFile = createTestFileMatcher([]);

export { SUBJECT_MAX_LENGTH, fitSubject, truncateSubject } from './commit-subject.js';

export interface CommitMessageInput {
  objective: string;
  files: readonly string[];
  /** The validation strategy; DOC_UPDATE types the commit `docs`. */
  strategy?: string | null;
  /** The committed plan's own account of the change (its `analysis`), so the message describes what was committed. */
  analysis?: string | null;
}

const ANALYSIS_LIMIT = 600;

export function templateCommitMessage(input: CommitMessageInput): string {
  const objective = stripControlCharacters(input.objective).trim();
  const prefix = conventionalPrefix({ ...input, objective });
  const subject = fitSubject(prefix, describe(objective));
  const analysis = analysisOf(input);
  const body = [wrap(objective, SUBJECT_MAX_LENGTH), ...(analysis ? ['', wrap(analysis, SUBJECT_MAX_LENGTH)] : []), '', 'Files:', ...input.files.map((file) => `- ${file}`)].join('\n');
  return sanitiseCommitMessage(`${subject}\n\n${body}\n`);
}

/** `type(scope)` from the files (tests, docs, config) or the objective's wording. */
export function conventionalPrefix(input: CommitMessageInput): string {
  const files = input.files;
  const every = (test: (file: string) => boolean) => files.length > 0 && files.every(test);
  const objective = input.objective.toLowerCase();
  const type = every(isTestFile)
    ? 'test'
    : every((file) => DOC_FILE.test(file)) || input.strategy === 'DOC_UPDATE' || DOCUMENTING.test(input.objective.trim())
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
 * Cleans a model-written message: drops reasoning blocks, code fences, preambles and
 * markdown, keeps a conventional subject (prefixing `fallbackPrefix` when the model gave
 * none) and at most 20 body lines, then sanitises it like every message. Returns null when
 * nothing usable is left.
 */
export function cleanModelCommitMessage(text: string, fallbackPrefix: string): string | null {
  const withoutReasoning = stripControlCharacters(text.replace(/<(think|thinking|reasoning|analysis)>[\s\S]*?(<\/\1>|$)/gi, ''));
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
  return sanitiseCommitMessage(body === '' ? `${subject}\n` : `${subject}\n\n${body}\n`);
}

export interface WriteCommitMessageOptions extends CommitMessageInput {
  mode: 'template' | 'llm';
  /** Appended as the message's last paragraph (e.g. the validation steps that ran). */
  trailers?: ReadonlyArray<readonly [token: string, value: string]>;
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
  return appendTrailers(await writeMessage(options), options.trailers ?? []);
}

async function writeMessage(options: WriteCommitMessageOptions): Promise<string> {
  const template = templateCommitMessage(options);
  if (options.mode !== 'llm' || !options.llm) return template;
  const diff = options.diff ? `\n\nDiff:\n${options.diff.slice(0, DIFF_LIMIT)}` : '';
  try {
    const reply = await options.llm.complete({
      role: 'light',
      purpose: 'commit-message',
      system: SYSTEM_PROMPT,
      messages: [{ role: 'user', content: `Objective: ${options.objective}${analysisOf(options) ? `\n\nPlan: ${analysisOf(options)}` : ''}\n\nFiles:\n${options.files.join('\n')}${diff}` }],
      responseFormat: 'text',
      maxTokens: 300,
      meter: options.meter,
      signal: options.signal,
    });
    const message = cleanModelCommitMessage(reply.text, conventionalPrefix(options));
    if (message !== null) return message;
    options.logger.warn({ event: 'commit-message-fallback' }, 'the model wrote no usable commit message; using the template');
  } catch (error) {
    if (options.signal?.aborted) throw error;
    options.logger.warn({ event: 'commit-message-fallback', error: (error as Error).message }, 'writing the commit message with the model failed; using the template');
  }
  return template;
}

/** The plan's analysis, cleaned and cut; null when it says nothing. */
function analysisOf(input: CommitMessageInput): string | null {
  const text = stripControlCharacters(input.analysis ?? '').replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  return text.length > ANALYSIS_LIMIT ? `${text.slice(0, ANALYSIS_LIMIT - 1).trimEnd()}…` : text;
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
