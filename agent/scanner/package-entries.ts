// What the repository's own package.json files say about their entry modules, so that
// `require('..')`, `import '../lib'` and a package importing itself by name reach the module
// Node would load (`main`, the `.` of `exports`, then index files).
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface PackageEntry {
  /** The package's `name`, when it has one: imports of that name (or `name/…`) are its own. */
  name?: string;
  /** Entry paths relative to the repository root, most preferred first (`main`, then `exports`). */
  entries: string[];
}

/** Package directory ('' for the root) → what its package.json declares. */
export type PackageEntries = ReadonlyMap<string, PackageEntry>;

const MANIFEST = 'package.json';

export function isPackageManifest(file: string): boolean {
  return file === MANIFEST || file.endsWith(`/${MANIFEST}`);
}

/** Reads every listed package.json; one that cannot be read or parsed declares nothing. */
export async function readPackageEntries(root: string, files: ReadonlySet<string>, signal?: AbortSignal): Promise<PackageEntries> {
  const manifests = [...files].filter(isPackageManifest);
  const entries = new Map<string, PackageEntry>();
  await Promise.all(
    manifests.map(async (manifest) => {
      const directory = path.posix.dirname(manifest).replace(/^\.$/, '');
      const entry = await readPackageEntry(path.join(root, manifest), directory, signal);
      if (entry) entries.set(directory, entry);
    }),
  );
  return entries;
}

async function readPackageEntry(file: string, directory: string, signal: AbortSignal | undefined): Promise<PackageEntry | undefined> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(file, { encoding: 'utf8', ...(signal ? { signal } : {}) }));
  } catch {
    return undefined;
  }
  if (typeof manifest !== 'object' || manifest === null) return undefined;
  const { name, main, exports } = manifest as { name?: unknown; main?: unknown; exports?: unknown };
  const declared = [...(typeof main === 'string' ? [main] : []), ...exportTargets(exports)];
  const entries = [...new Set(declared.map((target) => path.posix.normalize(path.posix.join(directory, target))).filter((target) => !target.startsWith('../')))];
  return { ...(typeof name === 'string' && name !== '' ? { name } : {}), entries };
}

/** Every string target of the `.` entry of `exports`, conditions in the order written. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return [];
  const record = exports as Record<string, unknown>;
  const keys = Object.keys(record);
  // Either a map of subpaths ('.', './x') or directly a map of conditions for '.'.
  const main = keys.some((key) => key.startsWith('.')) ? record['.'] : record;
  return stringsIn(main);
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}
