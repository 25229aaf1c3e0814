// Reading a JSON reply from a model, for every role: find the JSON (a code fence, the whole
// text, or the outermost braces inside prose), repair slight malformations with jsonrepair,
// validate with zod. A failure is data: a problem precise enough to send back to the model.
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

export function parseJsonReply<Schema extends z.ZodType>(text: string, schema: Schema): ParsedReply<z.output<Schema>> {
  const candidates = jsonCandidatesOf(text);
  let firstInvalid: ReplyProblem | null = null;
  let firstSyntaxError: string | null = null;
  for (const candidate of candidates) {
    const decoded = decodeJson(candidate);
    if (!decoded.ok) {
      firstSyntaxError ??= decoded.error;
      continue;
    }
    const result = schema.safeParse(decoded.value, { reportInput: true });
    if (result.success) return { ok: true, value: result.data, repaired: decoded.repaired };
    firstInvalid ??= describeIssues(result.error.issues);
  }
  if (firstInvalid !== null) return { ok: false, problem: firstInvalid };
  return { ok: false, problem: notJsonProblem(text, candidates.length > 0 ? firstSyntaxError : null) };
}

/** Places a JSON value may hide in a reply, most explicit first, without duplicates. */
export function jsonCandidatesOf(text: string): string[] {
  const candidates: string[] = [];
  for (const match of text.matchAll(/```[ \t]*(?:json5?|JSON|javascript|js)?[ \t]*\r?\n([\s\S]*?)```/g)) candidates.push(match[1]!.trim());
  const trimmed = text.trim();
  if (/^[[{]/.test(trimmed)) candidates.push(trimmed);
  const objectSpan = spanBetween(text, '{', '}');
  if (objectSpan !== null) candidates.push(objectSpan);
  const arraySpan = spanBetween(text, '[', ']');
  if (arraySpan !== null) candidates.push(arraySpan);
  return [...new Set(candidates.filter((candidate) => candidate !== ''))];
}

function spanBetween(text: string, open: string, close: string): string | null {
  const start = text.indexOf(open);
  const end = text.lastIndexOf(close);
  return start >= 0 && end > start ? text.slice(start, end + 1) : null;
}

type Decoded = { ok: true; value: unknown; repaired: boolean } | { ok: false; error: string };

function decodeJson(candidate: string): Decoded {
  try {
    return { ok: true, value: JSON.parse(candidate), repaired: false };
  } catch (error) {
    try {
      return { ok: true, value: JSON.parse(jsonrepair(candidate)), repaired: true };
    } catch {
      return { ok: false, error: (error as Error).message };
    }
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
