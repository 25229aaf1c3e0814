// Resolves Python imports, as the scanner records them (`pkg.module`, `.sibling`, `..`), to
// repository files the way the interpreter finds them: relative to the importing package, or
// from a source root (the repository root, `src/`, any directory holding top-level packages)
// and, for scripts and test files outside packages, their own directory.
import path from 'node:path';
import type { ResolveImport } from './import-resolver.js';

const SPECIFIER = /^(\.*)((?:[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)*)?$/;

export function isPythonFile(file: string): boolean {
  return file.endsWith('.py') || file.endsWith('.pyi');
}

export function createPythonImportResolver(files: ReadonlySet<string>): ResolveImport {
  let roots: string[] | undefined;
  const modulePath = (base: string): string | undefined => {
    const prefix = base === '' ? '' : `${base}/`;
    const candidates = base === '' ? ['__init__.py'] : [`${base}.py`, `${prefix}__init__.py`, `${base}.pyi`, `${prefix}__init__.pyi`];
    return candidates.find((candidate) => files.has(candidate));
  };
  return (fromFile, specifier) => {
    const match = SPECIFIER.exec(specifier);
    if (match === null) return undefined;
    const dots = match[1]!.length;
    const parts = match[2] === undefined ? [] : match[2].split('.');
    const directory = directoryOf(fromFile);
    if (dots > 0) {
      let base = directory;
      for (let level = 1; level < dots; level++) {
        if (base === '') return undefined;
        base = directoryOf(base);
      }
      return modulePath(path.posix.join(base, ...parts).replace(/^\.$/, ''));
    }
    if (parts.length === 0) return undefined;
    roots ??= sourceRoots(files);
    // A file outside any package runs with its own directory on sys.path (scripts, pytest's rootdir-relative test files).
    const searched = files.has(initOf(directory)) ? roots : [directory, ...roots];
    for (const root of searched) {
      const resolved = modulePath(path.posix.join(root, ...parts).replace(/^\.$/, ''));
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  };
}

function initOf(directory: string): string {
  return directory === '' ? '__init__.py' : `${directory}/__init__.py`;
}

function directoryOf(file: string): string {
  const directory = path.posix.dirname(file);
  return directory === '.' ? '' : directory;
}

/** '', 'src', then every directory holding a package that is not itself inside a package. */
function sourceRoots(files: ReadonlySet<string>): string[] {
  const roots = new Set(['', 'src']);
  for (const file of files) {
    if (!file.endsWith('__init__.py')) continue;
    const packageDirectory = directoryOf(file);
    if (packageDirectory === '' || (file !== '__init__.py' && !file.endsWith('/__init__.py'))) continue;
    const parent = directoryOf(packageDirectory);
    if (!files.has(initOf(parent))) roots.add(parent);
  }
  return [...roots];
}
