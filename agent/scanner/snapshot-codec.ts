// How scanned files are written into a scan snapshot: as positional arrays instead of objects,
// which halves the bytes and the time JSON.parse takes to read 2,000 files back. Decoding checks
// the shape of every value it takes, so a damaged row is rejected as a whole instead of
// handing the caller malformed files, and freezes what it builds (see deep-freeze.ts) as it goes,
// which costs a fraction of walking the files again afterwards.
import type { CodeSymbol, FileStatus, FunctionKind, FunctionMetric, Language, ScannedFile, SymbolKind, SyntaxIssue, TodoMarker } from './scan-types.js';

type EncodedTodo = [line: number, text: string];
type EncodedSymbol = [name: string, kind: SymbolKind, signature: string, line: number, doc: string | 0, members: EncodedSymbol[] | 0];
type EncodedFunction = [name: string, kind: FunctionKind, line: number, length: number, complexity: number];
type EncodedIssue = [line: number, column: number, message: string];
type EncodedFile = [
  path: string,
  language: Language,
  status: FileStatus,
  bytes: number,
  isTest: 0 | 1,
  lines: number,
  summary: string | 0,
  todos: EncodedTodo[],
  symbols: EncodedSymbol[],
  functions: EncodedFunction[],
  syntaxErrors: EncodedIssue[],
  imports: string[],
];

export function encodeFiles(files: readonly ScannedFile[]): EncodedFile[] {
  return files.map((file) => [
    file.path,
    file.language,
    file.status,
    file.bytes,
    file.isTest ? 1 : 0,
    file.lines,
    file.summary ?? 0,
    file.todos.map((todo): EncodedTodo => [todo.line, todo.text]),
    file.symbols.map(encodeSymbol),
    file.functions.map((metric): EncodedFunction => [metric.name, metric.kind, metric.line, metric.length, metric.complexity]),
    file.syntaxErrors.map((issue): EncodedIssue => [issue.line, issue.column, issue.message]),
    file.imports,
  ]);
}

function encodeSymbol(symbol: CodeSymbol): EncodedSymbol {
  return [symbol.name, symbol.kind, symbol.signature, symbol.line, symbol.doc ?? 0, symbol.members ? symbol.members.map(encodeSymbol) : 0];
}

class MalformedSnapshot extends Error {}

/** The files of a snapshot row, deeply frozen, or null when anything in it does not have the written shape. */
export function decodeFiles(encoded: unknown): readonly ScannedFile[] | null {
  try {
    return list(encoded, decodeFile);
  } catch (error) {
    if (error instanceof MalformedSnapshot) return null;
    throw error;
  }
}

function decodeFile(value: unknown): ScannedFile {
  const row = tuple(value, 12);
  return Object.freeze({
    path: text(row[0]),
    language: text(row[1]) as Language,
    status: text(row[2]) as FileStatus,
    bytes: number(row[3]),
    isTest: row[4] === 1,
    lines: number(row[5]),
    todos: list(row[7], (todo): TodoMarker => {
      const [line, body] = tuple(todo, 2);
      return Object.freeze({ line: number(line), text: text(body) });
    }),
    symbols: list(row[8], decodeSymbol),
    functions: list(row[9], (metric): FunctionMetric => {
      const [name, kind, line, length, complexity] = tuple(metric, 5);
      return Object.freeze({ name: text(name), kind: text(kind) as FunctionKind, line: number(line), length: number(length), complexity: number(complexity) });
    }),
    syntaxErrors: list(row[10], (issue): SyntaxIssue => {
      const [line, column, message] = tuple(issue, 3);
      return Object.freeze({ line: number(line), column: number(column), message: text(message) });
    }),
    imports: list(row[11], text),
    ...(row[6] === 0 ? {} : { summary: text(row[6]) }),
  });
}

function decodeSymbol(value: unknown): CodeSymbol {
  const [name, kind, signature, line, doc, members] = tuple(value, 6);
  const symbol: CodeSymbol = { name: text(name), kind: text(kind) as SymbolKind, signature: text(signature), line: number(line) };
  if (doc !== 0) symbol.doc = text(doc);
  if (members !== 0) symbol.members = list(members, decodeSymbol);
  return Object.freeze(symbol);
}

function tuple(value: unknown, length: number): unknown[] {
  if (!Array.isArray(value) || value.length !== length) throw new MalformedSnapshot();
  return value;
}

function list<T>(value: unknown, decode: (item: unknown) => T): T[] {
  if (!Array.isArray(value)) throw new MalformedSnapshot();
  return Object.freeze(value.map(decode)) as T[];
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw new MalformedSnapshot();
  return value;
}

function number(value: unknown): number {
  if (typeof value !== 'number') throw new MalformedSnapshot();
  return value;
}
