// Directories a scan never enters: installed dependencies, virtualenvs, caches and build output.
// They are someone else's code or a copy of the repository's own, and would swamp the manifest
// (one un-ignored `.venv` is thousands of files); the user's .gitignore is not relied on for it.

/** Never scanned, tracked or not: nothing in them is the repository's source. */
const ALWAYS_SKIPPED = new Set([
  'node_modules',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.hypothesis',
  '.tox',
  '.nox',
  '.venv',
  '.eggs',
  '.nyc_output',
]);

/**
 * Skipped only when git does not track them (untracked and not ignored: output the .gitignore
 * missed). A tracked `build/` or `dist/` is part of the repository and stays.
 */
const SKIPPED_WHEN_UNTRACKED = ['venv', 'dist', 'build', 'coverage', 'htmlcov', '.cache', '.next', '.nuxt', '.turbo', '.parcel-cache', '.svelte-kit', '*.egg-info'];

/** A virtualenv is recognised by this file at its top, whatever the directory is called. */
const VIRTUALENV_MARKER = 'pyvenv.cfg';

/**
 * `git ls-files` exclude patterns: with `--others` they apply to untracked files only, and git
 * then does not walk those directories at all.
 */
export const UNTRACKED_EXCLUDE_PATTERNS: readonly string[] = [...ALWAYS_SKIPPED, ...SKIPPED_WHEN_UNTRACKED].map((name) => `--exclude=${name}/`);

/** Whether a repository-relative path lies in a directory no scan enters (by name). */
export function isInSkippedDirectory(file: string): boolean {
  let start = 0;
  for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', start)) {
    if (ALWAYS_SKIPPED.has(file.slice(start, slash))) return true;
    start = slash + 1;
  }
  return false;
}

/** Directories holding a `pyvenv.cfg` among the listed paths, each ending with `/`. */
export function virtualenvDirectories(files: Iterable<string>): string[] {
  const directories: string[] = [];
  for (const file of files) {
    if (file.endsWith(`/${VIRTUALENV_MARKER}`)) directories.push(file.slice(0, -VIRTUALENV_MARKER.length));
  }
  return directories;
}

/** A filter dropping paths in skipped directories and in the given virtualenvs. */
export function generatedPathFilter(virtualenvs: readonly string[]): (file: string) => boolean {
  return (file) => isInSkippedDirectory(file) || virtualenvs.some((directory) => file.startsWith(directory));
}
