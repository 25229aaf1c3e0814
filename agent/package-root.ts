// The installed package's root (where package.json, prompts/ and dist/ live), found the same
// way from the compiled code in dist/ and from the TypeScript sources run by tests.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The npm package's name (its bin is `hephaestus`). */
export const PACKAGE_NAME = 'hephaestus-agent';

let cached: string | null = null;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ` + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
