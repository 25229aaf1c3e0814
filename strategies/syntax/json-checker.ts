// JSON with JSON.parse; files that by convention allow comments and trailing commas
// (tsconfig.json, .vscode settings, *.jsonc) with the TypeScript JSON parser instead.
import path from 'node:path';
import { diagnosticsOf, loadTypeScript } from './typescript-checker.js';
import { withoutBom, type SyntaxChecker, type SyntaxProblem } from './syntax-checker.js';

const POSITION = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/;

export function createJsonChecker(): SyntaxChecker {
  return {
    name: 'json',
    async check(file) {
      const content = withoutBom(file.content);
      if (allowsComments(file.path)) {
        const ts = await loadTypeScript();
        return diagnosticsOf(ts, ts.parseJsonText(file.path, content), file.path);
      }
      try {
        JSON.parse(content);
        return [];
      } catch (error) {
        return [problemAt(file.path, content, (error as Error).message)];
      }
    },
  };
}

export function allowsComments(file: string): boolean {
  const name = path.posix.basename(file).toLowerCase();
  return (
    name.endsWith('.jsonc') ||
    /^(tsconfig|jsconfig)(\..+)?\.json$/.test(name) ||
    name === '.eslintrc.json' ||
    file.split('/').includes('.vscode')
  );
}

function problemAt(file: string, content: string, message: string): SyntaxProblem {
  const match = POSITION.exec(message);
  if (!match) {
    // "Unexpected end of JSON input" has no position: it is at the end.
    const lines = content.split('\n');
    return { file, line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1, message };
  }
  const offset = Number(match[1]);
  const before = content.slice(0, offset).split('\n');
  return { file, line: before.length, column: before.at(-1)!.length + 1, message: message.slice(0, match.index) };
}
