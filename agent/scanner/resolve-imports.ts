// Resolves module specifiers to repository files the way TypeScript and Node do for relative
// imports: extension mapping (`./a.js` → `a.ts`), implicit extensions, a directory's package.json
// entry then its index file, the repository's own packages by name, and the `paths` of the root
// tsconfig.json. Other packages (bare specifiers) are ignored. Python files resolve their own way.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ts } from 'ts-morph';
import type { ResolveImport } from './import-resolver.js';
import type { PackageEntries } from './package-entries.js';
import { createPythonImportResolver, isPythonFile } from './resolve-python-imports.js';

export interface PathMapping {
  /** Repository-relative directory the `paths` targets are relative to ('' for the root). */
  baseDir: string;
  /** Pattern (at most one `*`) → target patterns, in tsconfig order. */
  paths: Array<[pattern: string, targets: string[]]>;
}

const CODE_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const SOURCE_FOR_OUTPUT: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};

export function createImportResolver(files: ReadonlySet<string>, mapping: PathMapping | null, packages: PackageEntries = new Map()): ResolveImport {
  const resolveFile = (base: string): string | undefined => {
    if (files.has(base)) return base;
    const extension = path.posix.extname(base);
    for (const replacement of SOURCE_FOR_OUTPUT[extension] ?? []) {
      const candidate = base.slice(0, -extension.length) + replacement;
      if (files.has(candidate)) return candidate;
    }
    for (const suffix of CODE_EXTENSIONS) if (files.has(base + suffix)) return base + suffix;
    return undefined;
  };
  const resolveDirectory = (directory: string, followEntries: boolean): string | undefined => {
    if (followEntries) {
      for (const entry of packages.get(directory)?.entries ?? []) {
        const resolved = resolveFile(entry) ?? resolveDirectory(entry, false);
        if (resolved !== undefined) return resolved;
      }
    }
    const prefix = directory === '' ? '' : `${directory}/`;
    for (const suffix of CODE_EXTENSIONS) if (files.has(`${prefix}index${suffix}`)) return `${prefix}index${suffix}`;
    return undefined;
  };
  // '' is the repository root (`require('..')` from a top-level test directory).
  const resolvePath = (base: string): string | undefined => (base === '' ? undefined : resolveFile(base)) ?? resolveDirectory(base, true);
  const packageDirectories = new Map([...packages].flatMap(([directory, entry]) => (entry.name === undefined ? [] : [[entry.name, directory] as const])));
  const resolvePython = createPythonImportResolver(files);

  return (fromFile, specifier) => {
    if (isPythonFile(fromFile)) return resolvePython(fromFile, specifier);
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
      const joined = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
      return joined.startsWith('../') ? undefined : resolvePath(joined.replace(/\/$/, '').replace(/^\.$/, ''));
    }
    const ownPackage = ownPackageTarget(packageDirectories, specifier);
    if (ownPackage !== undefined) {
      const resolved = resolvePath(ownPackage);
      if (resolved !== undefined) return resolved;
    }
    if (mapping === null) return undefined;
    for (const target of mappedTargets(mapping, specifier)) {
      const resolved = resolvePath(target);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  };
}

/** The repository path a specifier naming one of the repository's own packages points to. */
function ownPackageTarget(packageDirectories: ReadonlyMap<string, string>, specifier: string): string | undefined {
  const exact = packageDirectories.get(specifier);
  if (exact !== undefined) return exact;
  // Scoped names have one slash of their own: '@scope/name/sub'.
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const directory = packageDirectories.get(parts.slice(0, nameLength).join('/'));
  if (directory === undefined || parts.length <= nameLength) return undefined;
  return path.posix.join(directory, ...parts.slice(nameLength));
}

function mappedTargets(mapping: PathMapping, specifier: string): string[] {
  const targets: string[] = [];
  for (const [pattern, replacements] of mapping.paths) {
    const star = pattern.indexOf('*');
    let captured: string | undefined;
    if (star === -1) captured = pattern === specifier ? '' : undefined;
    else {
      const prefix = pattern.slice(0, star);
      const suffix = pattern.slice(star + 1);
      const matches = specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) && specifier.endsWith(suffix);
      captured = matches ? specifier.slice(prefix.length, specifier.length - suffix.length) : undefined;
    }
    if (captured === undefined) continue;
    for (const replacement of replacements) {
      const target = path.posix.normalize(path.posix.join(mapping.baseDir, replacement.replace('*', captured)));
      if (!target.startsWith('../')) targets.push(target);
    }
  }
  return targets;
}

/**
 * Reads `compilerOptions.paths` (and `baseUrl`) from the root tsconfig.json; null when there is
 * none or it cannot be parsed (imports through `paths` then stay unresolved). `extends` is not
 * followed.
 */
export async function readPathMapping(root: string, files: ReadonlySet<string>, signal?: AbortSignal): Promise<PathMapping | null> {
  if (!files.has('tsconfig.json')) return null;
  let text: string;
  try {
    text = await readFile(path.join(root, 'tsconfig.json'), { encoding: 'utf8', ...(signal ? { signal } : {}) });
  } catch {
    return null;
  }
  const parsed = ts.parseConfigFileTextToJson('tsconfig.json', text);
  const options = (parsed.config as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined)?.compilerOptions;
  if (typeof options?.paths !== 'object' || options.paths === null) return null;
  const baseDir = typeof options.baseUrl === 'string' ? path.posix.normalize(options.baseUrl.replaceAll('\\', '/')).replace(/^\.$/, '') : '';
  const paths = Object.entries(options.paths as Record<string, unknown>)
    .filter((entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].every((target) => typeof target === 'string'))
    .map(([pattern, targets]): [string, string[]] => [pattern, targets]);
  return paths.length > 0 ? { baseDir, paths } : null;
}
