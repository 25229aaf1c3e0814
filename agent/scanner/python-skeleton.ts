// A line-based skeleton of Python files: top-level `def` and `class` lines, and the public
// methods directly inside those classes. No parser, so no complexity figures for Python.
import type { CodeSymbol } from './scan-types.js';

const DEFINITION = /^(\s*)(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)/;
const MAX_SIGNATURE = 160;

interface OpenClass {
  symbol: CodeSymbol;
  /** Indentation of the class body's definitions, fixed by the first one seen. */
  bodyIndent: number | null;
}

export function pythonSkeleton(text: string): CodeSymbol[] {
  const symbols: CodeSymbol[] = [];
  let openClass: OpenClass | null = null;
  text.split('\n').forEach((line, index) => {
    const match = DEFINITION.exec(line);
    if (!match) return;
    const [, indentText = '', keyword, name = ''] = match;
    const indent = indentText.length;
    const signature = truncate(line.trim().replace(/:\s*(#.*)?$/, ''));
    const lineNumber = index + 1;
    if (indent === 0) {
      const symbol: CodeSymbol = { name, kind: keyword === 'class' ? 'class' : 'function', signature, line: lineNumber };
      symbols.push(symbol);
      openClass = keyword === 'class' ? { symbol, bodyIndent: null } : null;
      return;
    }
    if (openClass === null) return;
    openClass.bodyIndent ??= indent;
    const isPublicMethod = keyword === 'def' && (!name.startsWith('_') || name === '__init__');
    if (indent !== openClass.bodyIndent || !isPublicMethod) return;
    (openClass.symbol.members ??= []).push({ name, kind: name === '__init__' ? 'constructor' : 'method', signature, line: lineNumber });
  });
  return symbols;
}

function truncate(signature: string): string {
  return signature.length > MAX_SIGNATURE ? `${signature.slice(0, MAX_SIGNATURE - 1)}…` : signature;
}
