// The README's marked code blocks, as files in a project that depends on this package
// (node_modules/hephaestus-agent links to the build), so a test runs them exactly as written.
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../support/temp-repo.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The ```js block after `<!-- readme-example: NAME -->` in README.md. */
export async function readmeExample(name: string): Promise<string> {
  const readme = await readFile(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- readme-example: ${name.replace('.', '\\.')} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\`\\n`).exec(readme);
  if (!match?.[1]) throw new Error(`README.md has no example marked ${name}`);
  return match[1];
}

/** A fresh project directory holding the example `name` as a file of that name. */
export async function exampleProject(name: string): Promise<string> {
  const project = await makeTempDir('hephaestus-example-');
  await mkdir(path.join(project, 'node_modules'), { recursive: true });
  await symlink(PACKAGE_ROOT, path.join(project, 'node_modules', 'hephaestus-agent'), 'dir');
  await writeFile(path.join(project, 'package.json'), '{ "type": "module", "private": true }\n');
  await writeFile(path.join(project, name), await readmeExample(name));
  return project;
}
