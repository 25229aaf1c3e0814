// Editable Python installs (`pip install -e .`, `uv sync`) point the virtualenv at the user's
// working tree: a `.pth` line or an `__editable__` finder's mapping naming a directory of the
// repository. A sandbox must import its own copy, so those directories, mapped into the
// sandbox, go first on PYTHONPATH (ahead of site-packages and the finders appended after it).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Repository-relative directories that editable installs in the linked virtualenvs put on
 * sys.path, plus `src` for a src layout; POSIX, without duplicates, in the order found.
 */
export async function pythonSourceRoots(repoRoot: string, linkPaths: readonly string[]): Promise<string[]> {
  const roots: string[] = [];
  const add = (absolute: string) => {
    const relative = path.relative(repoRoot, absolute);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return;
    const normalised = relative === '' ? '.' : relative.split(path.sep).join('/');
    // Nothing inside a linked path (the virtualenv itself) is the user's source.
    if (linkPaths.some((linkPath) => normalised === linkPath || normalised.startsWith(`${linkPath}/`))) return;
    if (!roots.includes(normalised)) roots.push(normalised);
  };
  for (const linkPath of linkPaths) {
    for (const sitePackages of await sitePackagesOf(path.join(repoRoot, linkPath))) {
      for (const name of await readdir(sitePackages).catch(() => [] as string[])) {
        if (name.endsWith('.pth')) {
          const text = await readFile(path.join(sitePackages, name), 'utf8').catch(() => '');
          // Lines are directories, except comments and `import` lines (which run code).
          for (const line of text.split('\n').map((entry) => entry.trim())) {
            if (line !== '' && !line.startsWith('#') && !/^import[\s\t]/.test(line)) add(path.resolve(sitePackages, line));
          }
        } else if (/^__editable__.*finder\.py$/.test(name)) {
          const text = await readFile(path.join(sitePackages, name), 'utf8').catch(() => '');
          // setuptools: MAPPING: dict[str, str] = {'pkg': '/repo/src/pkg'}; the root is the package's parent.
          const mapping = /MAPPING[^=]*=\s*(\{[^}]*\})/.exec(text)?.[1];
          for (const match of mapping?.matchAll(/:\s*'([^']+)'|:\s*"([^"]+)"/g) ?? []) {
            const target = match[1] ?? match[2];
            if (target) add(path.dirname(target));
          }
        }
      }
    }
  }
  return roots;
}

/** `<venv>/lib/python3.*\/site-packages` (and `Lib/site-packages` on Windows layouts). */
async function sitePackagesOf(virtualenv: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(virtualenv, 'lib')).catch(() => [] as string[])) {
    if (entry.startsWith('python')) found.push(path.join(virtualenv, 'lib', entry, 'site-packages'));
  }
  const windows = path.join(virtualenv, 'Lib', 'site-packages');
  if ((await readdir(windows).catch(() => null)) !== null) found.push(windows);
  return found;
}
