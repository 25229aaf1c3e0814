// The per-repository state directory `.hephaestus/`, created on demand and kept out of git
// through `.git/info/exclude` (never through the user's .gitignore).
import { mkdir, readFile, appendFile } from 'node:fs/promises';
import path from 'node:path';
import type { RepositoryLocation } from '../git/git-environment.js';

export const STATE_DIR_NAME = '.hephaestus';
const EXCLUDE_LINE = `/${STATE_DIR_NAME}/`;

export function stateDirOf(repoRoot: string): string {
  return path.join(repoRoot, STATE_DIR_NAME);
}

export async function ensureStateDir(repository: RepositoryLocation): Promise<string> {
  const dir = stateDirOf(repository.root);
  await mkdir(dir, { recursive: true });
  await excludeFromGit(repository);
  return dir;
}

/** Adds `/.hephaestus/` to info/exclude once; returns true when the file changed. */
export async function excludeFromGit(repository: RepositoryLocation): Promise<boolean> {
  const infoDir = path.join(repository.commonDir, 'info');
  const excludeFile = path.join(infoDir, 'exclude');
  const existing = await readFile(excludeFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const lines = existing.split(/\r?\n/).map((line) => line.trim());
  if (lines.includes(EXCLUDE_LINE) || lines.includes(`${STATE_DIR_NAME}/`) || lines.includes(STATE_DIR_NAME)) return false;
  await mkdir(infoDir, { recursive: true });
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(excludeFile, `${separator}# Hephaestus state (caches, memory, logs, sandboxes)\n${EXCLUDE_LINE}\n`);
  return true;
}
