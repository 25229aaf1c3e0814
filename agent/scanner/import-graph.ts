// The import graph between repository files and the questions asked of it: which tests a change
// can break (reverse edges, transitively) and which modules no test reaches (forward edges).
import { isCodeLanguage } from './detect-language.js';
import { comparePaths, toRepositoryPath } from './list-files.js';
import type { ResolveImport } from './import-resolver.js';
import type { ImportGraph, ScanResult, ScannedFile } from './scan-types.js';

export function buildImportGraph(files: readonly ScannedFile[], resolveImport: ResolveImport): ImportGraph {
  const imports: Record<string, string[]> = {};
  const importers = new Map<string, Set<string>>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of file.imports) {
      const target = resolveImport(file.path, specifier);
      if (target !== undefined && target !== file.path) targets.add(target);
    }
    if (targets.size === 0) continue;
    imports[file.path] = [...targets].sort(comparePaths);
    for (const target of targets) {
      const set = importers.get(target) ?? new Set<string>();
      set.add(file.path);
      importers.set(target, set);
    }
  }
  const importedBy: Record<string, string[]> = {};
  for (const target of [...importers.keys()].sort(comparePaths)) importedBy[target] = [...importers.get(target)!].sort(comparePaths);
  return { imports, importedBy };
}

/**
 * Test files that import a changed file directly or through any chain of imports and
 * re-exports, nearest first (then by path). A changed test file is itself affected.
 * Paths are repository-relative; changed files that no longer exist are fine.
 */
export function affectedTests(scan: ScanResult, changedFiles: readonly string[]): string[] {
  const testFiles = new Set(scan.files.filter((file) => file.isTest).map((file) => file.path));
  const distance = new Map<string, number>();
  let frontier = [...new Set(changedFiles.map((file) => toRepositoryPath(file, 'changed file')))];
  for (const file of frontier) distance.set(file, 0);
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const file of frontier) {
      for (const importer of scan.graph.importedBy[file] ?? []) {
        if (distance.has(importer)) continue;
        distance.set(importer, depth);
        next.push(importer);
      }
    }
    frontier = next;
  }
  return [...distance.entries()]
    .filter(([file]) => testFiles.has(file))
    .sort(([leftFile, leftDistance], [rightFile, rightDistance]) => leftDistance - rightDistance || comparePaths(leftFile, rightFile))
    .map(([file]) => file);
}

/**
 * Parsed modules that no test file reaches: TS/JS (not declaration files), and Python modules of
 * packages (not scripts such as setup.py or docs/conf.py, not conftest.py).
 */
export function untestedModules(scan: ScanResult): string[] {
  const paths = new Set(scan.files.map((file) => file.path));
  const isModule = (file: ScannedFile) => {
    if (file.language !== 'python') return !/\.d\.[cm]?ts$/.test(file.path);
    const directory = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/') + 1) : '';
    return paths.has(`${directory}__init__.py`) && !file.path.endsWith('conftest.py');
  };
  const reached = new Set<string>();
  const stack = scan.files.filter((file) => file.isTest).map((file) => file.path);
  while (stack.length > 0) {
    const file = stack.pop()!;
    for (const target of scan.graph.imports[file] ?? []) {
      if (reached.has(target)) continue;
      reached.add(target);
      stack.push(target);
    }
  }
  return scan.files
    .filter((file) => file.status === 'parsed' && isCodeLanguage(file.language) && !file.isTest && isModule(file) && !reached.has(file.path))
    .map((file) => file.path);
}
