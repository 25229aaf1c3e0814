// Paths shown to the user: relative to the current directory when inside it, else absolute.
import path from 'node:path';

export function displayPath(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
