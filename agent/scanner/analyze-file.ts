// Analyses one file's text: the TypeScript parser for TS/JS, tree-sitter's for Python (skeleton,
// functions, imports, syntax errors), line metrics and markers for everything.
import path from 'node:path';
import { ts } from 'ts-morph';
import { scriptKindOf } from './detect-language.js';
import { walkFunctionsAndImports } from './function-metrics.js';
import { pythonSyntaxIssues, walkPythonFunctionsAndImports } from './python-metrics.js';
import type { PythonParser } from './python-parser.js';
import { moduleDocstring, pythonSkeleton } from './python-skeleton.js';
import type { FileAnalysis, Language, SyntaxIssue } from './scan-types.js';
import { firstCommentSentence, lineOf } from './source-text.js';
import { countLines, findTodos } from './text-metrics.js';
import { exportedSymbols } from './typescript-skeleton.js';

const MAX_SYNTAX_ISSUES = 5;
const DIRECTIVE = /^(?:\/\*\s*(?:global|globals|eslint|jshint|jslint|istanbul|c8|prettier-ignore)\b|\/\/\s*(?:@ts-|eslint|prettier-ignore|#region|#endregion))/;

/** Parsers loaded on demand (see needsPythonParser); a Python file without one gets line metrics only. */
export interface LoadedParsers {
  python?: PythonParser;
}

export function analyzeFile(relativePath: string, language: Language, text: string, parsers: LoadedParsers = {}): FileAnalysis {
  const scriptKind = scriptKindOf(relativePath);
  const base = { lines: countLines(text), todos: findTodos(text) };
  if (scriptKind !== undefined) return { ...base, ...analyzeCode(relativePath, text, scriptKind) };
  if (language === 'python' && parsers.python) return { ...base, ...analyzePython(relativePath, text, parsers.python) };
  return { ...base, symbols: [], functions: [], syntaxErrors: [], imports: [] };
}

/** Whether a file is read by a parser: TS/JS always, Python once its parser is loaded. */
export function isParsedFile(relativePath: string, language: Language): boolean {
  return scriptKindOf(relativePath) !== undefined || language === 'python';
}

function analyzePython(relativePath: string, text: string, parser: PythonParser): Omit<FileAnalysis, 'lines' | 'todos'> {
  const tree = parser.parse(text);
  try {
    const { functions, imports } = walkPythonFunctionsAndImports(tree);
    const analysis: Omit<FileAnalysis, 'lines' | 'todos'> = {
      symbols: pythonSkeleton(tree.rootNode, path.posix.basename(relativePath) === '__init__.py'),
      functions,
      syntaxErrors: pythonSyntaxIssues(tree),
      imports,
    };
    const summary = moduleDocstring(tree.rootNode);
    if (summary !== undefined) analysis.summary = summary;
    return analysis;
  } finally {
    // The tree lives in WebAssembly memory, outside the garbage collector's reach.
    tree.delete();
  }
}

function analyzeCode(relativePath: string, text: string, scriptKind: ts.ScriptKind): Omit<FileAnalysis, 'lines' | 'todos'> {
  const sourceFile = ts.createSourceFile(
    relativePath,
    text,
    // Doc comments are read from comment ranges; skipping JSDoc parsing saves time.
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    scriptKind,
  );
  const { functions, imports } = walkFunctionsAndImports(sourceFile);
  const analysis: Omit<FileAnalysis, 'lines' | 'todos'> = {
    symbols: exportedSymbols(sourceFile),
    functions,
    syntaxErrors: syntaxIssues(sourceFile),
    imports,
  };
  const summary = moduleSummary(sourceFile);
  if (summary !== undefined) analysis.summary = summary;
  return analysis;
}

function syntaxIssues(sourceFile: ts.SourceFile): SyntaxIssue[] {
  // parseDiagnostics is not in the public typings but is what `tsc` reports as syntax errors,
  // without the cost of creating a Program.
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics.slice(0, MAX_SYNTAX_ISSUES).map((diagnostic) => {
    const position = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return { line: position.line + 1, column: position.character + 1, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ') };
  });
}

/**
 * The first sentence of the file's opening comment, which says what the module is for. A doc
 * comment glued to the first declaration documents that declaration instead, so it is skipped.
 */
function moduleSummary(sourceFile: ts.SourceFile): string | undefined {
  const text = sourceFile.text;
  const start = text.startsWith('#!') ? Math.max(text.indexOf('\n'), 0) : 0;
  const all = ts.getLeadingCommentRanges(text, start) ?? [];
  // Tool directives (`/* global x */`, `/* eslint-disable */`, `// @ts-check`) say nothing about the module.
  const firstIndex = all.findIndex((range) => !DIRECTIVE.test(text.slice(range.pos, range.end)));
  if (firstIndex === -1) return undefined;
  const ranges = all.slice(firstIndex);
  const first = ranges[0]!;
  // Consecutive `//` lines form one comment.
  let end = first.end;
  for (const range of ranges.slice(1)) {
    const continues = first.kind === ts.SyntaxKind.SingleLineCommentTrivia && range.kind === first.kind && lineOf(sourceFile, range.pos) === lineOf(sourceFile, end) + 1;
    if (!continues) break;
    end = range.end;
  }
  const comment = text.slice(first.pos, end);
  const firstStatement = sourceFile.statements[0];
  const isDocOfFirstStatement =
    comment.startsWith('/**') && firstStatement !== undefined && lineOf(sourceFile, firstStatement.getStart(sourceFile)) - lineOf(sourceFile, end) <= 1;
  return isDocOfFirstStatement ? undefined : firstCommentSentence(comment);
}
