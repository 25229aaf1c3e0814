// Turns zod issues into messages that name the JSON path, what was expected and what came,
// and how to fix it (with a "did you mean" for misspelt keys).
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

type Issue = z.core.$ZodIssue & { input?: unknown };

export function formatConfigIssues(issues: readonly Issue[], schema: z.ZodType): string[] {
  return issues.map((issue) => formatIssue(issue, schema));
}

export function formatJsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`,
    )
    .join('');
}

function formatIssue(issue: Issue, schema: z.ZodType): string {
  const at = formatJsonPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = objectKeysAt(schema, issue.path);
      return issue.keys
        .map((key) => {
          const keyPath = formatJsonPath([...issue.path, key]);
          const suggestion = suggest(key, known);
          const hint = suggestion ? `did you mean "${suggestion}"?` : `known keys: ${known.join(', ')}`;
          return `${keyPath}: unknown key "${key}"; ${hint}`;
        })
        .join('\n');
    }
    case 'invalid_type':
      return `${at}: expected ${issue.expected}, received ${describe(issue.input)}`;
    case 'invalid_value':
      return `${at}: expected one of ${issue.values.map((value) => JSON.stringify(value)).join(' | ')}, received ${describe(issue.input)}`;
    case 'too_small':
      return `${at}: expected ${issue.origin === 'array' ? 'at least' : '>='} ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}, received ${describe(issue.input)}`;
    case 'too_big':
      return `${at}: expected ${issue.origin === 'array' ? 'at most' : '<='} ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}, received ${describe(issue.input)}`;
    case 'invalid_union':
      return `${at}: ${unionExpectation(issue)}, received ${describe(issue.input)}`;
    case 'invalid_format':
      return `${at}: expected ${issue.format === 'regex' ? issue.message : `a valid ${issue.format}`}, received ${describe(issue.input)}`;
    case 'invalid_key':
      return `${at}: invalid key ${describe(issue.input)}: ${issue.issues.map((inner) => inner.message).join('; ')}`;
    default:
      return `${at}: ${issue.message}`;
  }
}

function unionExpectation(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const expected = new Set<string>();
  for (const branch of issue.errors) {
    for (const inner of branch) {
      if (inner.code === 'invalid_type') expected.add(inner.expected);
    }
  }
  return expected.size > 0 ? `expected ${[...expected].join(' or ')}` : issue.message;
}

function describe(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'object') return 'an object';
  const text = JSON.stringify(input);
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `${typeof input} ${shown}`;
}

export function suggest(word: string, candidates: readonly string[]): string | null {
  if (candidates.length === 0) return null;
  const best = closest(word, [...candidates]);
  return distance(word.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

/** Keys of the object schema found at `path` (unwrapping defaults, optionals, records). */
export function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const segment of path) {
    node = unwrap(node);
    const definition = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!definition) return [];
    if (definition.type === 'object') node = (definition.shape as Record<string, unknown>)[String(segment)];
    else if (definition.type === 'record') node = definition.valueType;
    else if (definition.type === 'array') node = definition.element;
    else return [];
  }
  const definition = (unwrap(node) as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  return definition?.type === 'object' ? Object.keys(definition.shape as object) : [];
}

function unwrap(node: unknown): unknown {
  let current = node as { _zod?: { def?: Record<string, unknown> } } | undefined;
  for (let depth = 0; depth < 10 && current?._zod?.def; depth++) {
    const definition = current._zod.def;
    const inner = definition.innerType ?? (definition.type === 'pipe' ? definition.in : undefined);
    if (!inner) break;
    current = inner as typeof current;
  }
  return current;
}
