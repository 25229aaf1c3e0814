// Reading a JSON reply from a model, for every role: find the JSON (the whole text, a code
// fence, or a balanced object inside prose), repair slight malformations with jsonrepair,
// validate with zod. A failure is data: a problem precise enough to send back to the model.
// A candidate that parses whole always wins over a repaired one, and a repair never stands in
// for a longer candidate that contains it (a fence cut short at an inner fence is not a plan).
import { jsonrepair } from 'jsonrepair';
import type { z } from 'zod';

export type ReplyProblemCode = 'REPLY_NOT_JSON' | 'REPLY_INVALID';

export interface ReplyProblem {
  code: ReplyProblemCode;
  /** Says what was wrong and where, addressed to the model that wrote the reply. */
  message: string;
  /** JSON path of the first schema problem, e.g. `patches[0].operation`. */
  path?: string;
}

export type ParsedReply<Value> = { ok: true; value: Value; repaired: boolean } | { ok: false; problem: ReplyProblem };

const MAX_LISTED_ISSUES = 5;
const SNIPPET_LENGTH = 80;
const MAX_BALANCED_SPANS = 20;

export function parseJsonReply<Schema extends z.ZodType>(text: string, schema: Schema): ParsedReply<z.output<Schema>> {
  const candidates = jsonCandidatesOf(text);
  let firstInvalid: ReplyProblem | null = null;
  let firstSyntaxError: string | null = null;
  // Pass 1: candidates that parse as they are. Pass 2: repairs, of whole candidates only.
  for (const candidate of candidates) {
    const decoded = strictJson(candidate);
    if (!decoded.ok) {
      firstSyntaxError ??= decoded.error;
      continue;
    }
    const result = schema.safeParse(decoded.value, { reportInput: true });
    if (result.success) return { ok: true, value: result.data, repaired: false };
    firstInvalid ??= describeIssues(result.error.issues);
  }
  for (const candidate of candidates) {
    if (strictJson(candidate).ok || candidates.some((other) => other.length > candidate.length && other.includes(candidate))) continue;
    const repaired = repairedJson(candidate);
    if (repaired === undefined) continue;
    const result = schema.safeParse(repaired, { reportInput: true });
    if (result.success) return { ok: true, value: result.data, repaired: true };
    firstInvalid ??= describeIssues(result.error.issues);
  }
  if (firstInvalid !== null) return { ok: false, problem: firstInvalid };
  return { ok: false, problem: notJsonProblem(text, candidates.length > 0 ? firstSyntaxError : null) };
}

/**
 * Places a JSON value may hide in a reply, most complete first, without duplicates: the whole
 * text, the outermost code fence, each fence, each balanced top-level object, the span from the
 * first `{` to the last `}`, and the same for arrays. Fences open and close only at the start of
 * a line, so a fence written inside a JSON string (on the same line, as `\n```js`) never ends one.
 */
export function jsonCandidatesOf(text: string): string[] {
  const candidates: string[] = [];
  const trimmed = text.trim();
  if (/^[[{]/.test(trimmed)) candidates.push(trimmed);
  candidates.push(...fencedBlocksOf(text));
  candidates.push(...balancedSpansOf(text, '{', '}'));
  const objectSpan = spanBetween(text, '{', '}');
  if (objectSpan !== null) candidates.push(objectSpan);
  candidates.push(...balancedSpansOf(text, '[', ']'));
  const arraySpan = spanBetween(text, '[', ']');
  if (arraySpan !== null) candidates.push(arraySpan);
  return [...new Set(candidates.map((candidate) => candidate.trim()).filter((candidate) => candidate !== ''))];
}

const FENCE_OPEN = /^[ \t]*```[ \t]*(?:json5?|JSON|javascript|js)?[ \t]*$/;
const FENCE_CLOSE = /^[ \t]*```[ \t]*$/;

/** The outermost fence (first opening line to last closing line), then each fence in order. */
function fencedBlocksOf(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const blocks: string[] = [];
  const openings = lines.flatMap((line, index) => (FENCE_OPEN.test(line) ? [index] : []));
  if (openings.length === 0) return blocks;
  const lastClose = lines.findLastIndex((line, index) => index > openings[0]! && FENCE_CLOSE.test(line));
  if (lastClose > openings[0]!) blocks.push(lines.slice(openings[0]! + 1, lastClose).join('\n'));
  for (let index = 0; index < lines.length; index++) {
    if (!FENCE_OPEN.test(lines[index]!)) continue;
    const close = lines.findIndex((line, after) => after > index && FENCE_CLOSE.test(line));
    if (close < 0) {
      // An unclosed fence (a reply cut off, or a fence the model forgot to close).
      blocks.push(lines.slice(index + 1).join('\n'));
      break;
    }
    blocks.push(lines.slice(index + 1, close).join('\n'));
    index = close;
  }
  return blocks;
}

/** Top-level spans from `open` to its matching `close`, skipping brackets inside double-quoted strings. */
function balancedSpansOf(text: string, open: string, close: string): string[] {
  const spans: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let index = 0; index < text.length && spans.length < MAX_BALANCED_SPANS; index++) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"' && depth > 0) inString = true;
    else if (character === open) {
      if (depth === 0) start = index;
      depth++;
    } else if (character === close && depth > 0) {
      depth--;
      if (depth === 0) spans.push(text.slice(start, index + 1));
    }
  }
  return spans;
}

function spanBetween(text: string, open: string, close: string): string | null {
  const start = text.indexOf(open);
  const end = text.lastIndexOf(close);
  return start >= 0 && end > start ? text.slice(start, end + 1) : null;
}

type Decoded = { ok: true; value: unknown } | { ok: false; error: string };

function strictJson(candidate: string): Decoded {
  try {
    return { ok: true, value: JSON.parse(candidate) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function repairedJson(candidate: string): unknown {
  try {
    return JSON.parse(jsonrepair(candidate));
  } catch {
    return undefined;
  }
}

function notJsonProblem(text: string, syntaxError: string | null): ReplyProblem {
  const trimmed = text.trim();
  const snippet = trimmed === '' ? 'an empty reply' : `"${trimmed.slice(0, SNIPPET_LENGTH).replaceAll('\n', '\\n')}${trimmed.length > SNIPPET_LENGTH ? '…' : ''}"`;
  const reason = syntaxError === null ? 'it contains no JSON object' : `its JSON cannot be parsed (${syntaxError})`;
  return {
    code: 'REPLY_NOT_JSON',
    message: `The reply is not usable JSON: ${reason}. Received ${snippet}. Answer with one JSON object only, optionally inside a \`\`\`json code fence, with no other text.`,
  };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): ReplyProblem {
  const lines = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => `at ${formatPath(issue.path)}: ${describeIssue(issue)}`);
  if (issues.length > MAX_LISTED_ISSUES) lines.push(`…and ${issues.length - MAX_LISTED_ISSUES} more problems`);
  return {
    code: 'REPLY_INVALID',
    message: `The JSON reply does not have the expected shape: ${lines.join('; ')}. Fix these fields and answer with the whole JSON object again.`,
    path: formatPath(issues[0]?.path ?? []),
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return `missing required ${issue.expected}`;
  if (issue.code === 'invalid_type') return `expected ${issue.expected}, received ${describeValue(issue.input)}`;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}, received ${describeValue(issue.input)}`;
  return issue.message;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text === '' ? String(segment) : `${text}.${String(segment)}`), '');
}
