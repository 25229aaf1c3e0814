// TS/JS syntax with the TypeScript parser: syntactic diagnostics only, no Program, no types.
// The compiler comes from ts-morph (a runtime dependency) and is loaded on first use.
import type { SyntaxChecker, SyntaxProblem } from './syntax-checker.js';

type TypeScript = typeof import('ts-morph').ts;
type ParsedFile = import('ts-morph').ts.SourceFile & { parseDiagnostics?: import('ts-morph').ts.DiagnosticWithLocation[] };

export const TYPESCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

let compiler: Promise<TypeScript> | undefined;

export function loadTypeScript(): Promise<TypeScript> {
  compiler ??= import('ts-morph').then((module) => module.ts);
  return compiler;
}

export function createTypeScriptChecker(): SyntaxChecker {
  return {
    name: 'typescript',
    async check(file) {
      const ts = await loadTypeScript();
      const sourceFile = ts.createSourceFile(file.path, file.content, ts.ScriptTarget.Latest, false, scriptKindOf(ts, file.path)) as ParsedFile;
      return diagnosticsOf(ts, sourceFile, file.path);
    },
  };
}

/** Diagnostics the parser attached to a source file (also used for JSON with comments). */
export function diagnosticsOf(ts: TypeScript, sourceFile: ParsedFile, file: string): SyntaxProblem[] {
  return (sourceFile.parseDiagnostics ?? []).map((diagnostic) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start);
    return { file, line: line + 1, column: character + 1, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n') };
  });
}

function scriptKindOf(ts: TypeScript, file: string) {
  const extension = file.slice(file.lastIndexOf('.')).toLowerCase();
  if (extension === '.tsx') return ts.ScriptKind.TSX;
  if (extension === '.jsx') return ts.ScriptKind.JSX;
  if (extension === '.js' || extension === '.mjs' || extension === '.cjs') return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
