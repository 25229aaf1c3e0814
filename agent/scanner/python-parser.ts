// The Python parser: tree-sitter's Python grammar, compiled to WebAssembly and run by
// web-tree-sitter (no native build, same result on every platform). Loaded on first use only,
// so scans of repositories without Python files, and processes that never scan, pay nothing.
import { createRequire } from 'node:module';
import type { Node, Tree } from 'web-tree-sitter';

export type { Node as PythonNode, Tree as PythonTree };

export interface PythonParser {
  /** The syntax tree of one file; the caller frees it with `tree.delete()`. */
  parse(text: string): Tree;
}

const require = createRequire(import.meta.url);

// The WebAssembly module and grammar are per process: loading them again would only cost time.
let loading: Promise<PythonParser> | undefined;

export function loadPythonParser(): Promise<PythonParser> {
  loading ??= createPythonParser().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function createPythonParser(): Promise<PythonParser> {
  const { Language, Parser } = await import('web-tree-sitter');
  await Parser.init();
  const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    parse(text) {
      const tree = parser.parse(text);
      // Only a parse cancelled through options returns null; none is.
      if (tree === null) throw new Error('The Python parser returned no tree.');
      return tree;
    },
  };
}
