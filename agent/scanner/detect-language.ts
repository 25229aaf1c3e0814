// Maps a file name to the language the scanner treats it as, and to the TypeScript parser's
// script kind for the files it parses.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { Language } from './scan-types.js';

const LANGUAGE_BY_EXTENSION: Record<string, Language> = {
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.py': 'python',
  '.json': 'json',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.yml': 'yaml',
  '.yaml': 'yaml',
  '.sh': 'shell',
  '.bash': 'shell',
  '.go': 'go',
  '.css': 'css',
  '.scss': 'css',
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'text',
};

const SCRIPT_KIND_BY_EXTENSION: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

export function detectLanguage(relativePath: string): Language {
  return LANGUAGE_BY_EXTENSION[path.posix.extname(relativePath).toLowerCase()] ?? 'other';
}

/** The parser's script kind for TS/JS files; undefined for every other file. */
export function scriptKindOf(relativePath: string): ts.ScriptKind | undefined {
  return SCRIPT_KIND_BY_EXTENSION[path.posix.extname(relativePath).toLowerCase()];
}

/** Languages the scanner parses: their files have symbols, functions and imports. */
export function isCodeLanguage(language: Language): boolean {
  return language === 'typescript' || language === 'javascript' || language === 'python';
}
