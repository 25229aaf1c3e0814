// Resolves module specifiers to repository files the way TypeScript and Node do for relative
// imports: extension mapping (`./a.js` → `a.ts`), implicit extensions, index files, and the
// `paths` of the root tsconfig.json. Packages (bare specifiers without a mapping) are ignored.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ts } from 'ts-morph';

export interface PathMapping {
  /** Repository-relative directory the `paths` targets are relative to ('' for the root). */
  baseDir: string;
  /** Pattern (at most one `*`) → target patterns, in tsconfig order. */
  paths: Array<[pattern: string, targets: string[]]>;
}

export type ResolveImport = (fromFile: string, specifier: string) => string | undefined;

const CODE_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const SOURCE_FOR_OUTPUT: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};

export function createImportResolver(files: ReadonlySet<string>, mapping: PathMapping | null): ResolveImport {
  const resolvePath = (base: string): string | undefined => {
    if (files.has(base)) return base;
    const extension = path.posix.extname(base);
    for (const replacement of SOURCE_FOR_OUTPUT[extension] ?? []) {
      const candidate = base.slice(0, -extension.length) + replacement;
      if (files.has(candidate)) return candidate;
    }
    for (const suffix of CODE_EXTENSIONS) if (files.has(base + suffix)) return base + suffix;
    for (const suffix of CODE_EXTENSIONS) if (files.has(`${base}/index${suffix}`)) return `${base}/index${suffix}`;
    return undefined;
  };

  return (fromFile, specifier) => {
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
      const joined = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
      return joined.startsWith('../') ? undefined : resolvePath(joined.replace(/\/$/, ''));
    }
    if (mapping === null) return undefined;
    for (const target of mappedTargets(mapping, specifier)) {
      const resolved = resolvePath(target);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  };
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
