// The README's library example, run as written: its code block is saved as a script in a
// project that depends on this package (node_modules/hephaestus-agent links to the build),
// and run on a real repository.
import { execa } from 'execa';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
let repo: TempRepo | undefined;
afterEach(async () => repo?.remove());

async function readmeExample(name: string): Promise<string> {
  const readme = await readFile(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- readme-example: ${name.replace('.', '\\.')} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\`\\n`).exec(readme);
  if (!match?.[1]) throw new Error(`README.md has no example marked ${name}`);
  return match[1];
}

describe('the README library example', () => {
  it('runs one cycle with its own provider and commits the README line', async () => {
    const project = await makeTempDir('hephaestus-example-');
    await mkdir(path.join(project, 'node_modules'), { recursive: true });
    await symlink(PACKAGE_ROOT, path.join(project, 'node_modules', 'hephaestus-agent'), 'dir');
    await writeFile(path.join(project, 'package.json'), '{ "type": "module", "private": true }\n');
    await writeFile(path.join(project, 'evolve-once.mjs'), await readmeExample('evolve-once.mjs'));
    repo = await makeTempRepo({ 'README.md': '# Sums\n', 'src/sum.js': 'export const sum = (a, b) => a + b;\n' });

    const result = await execa(process.execPath, ['evolve-once.mjs', repo.root], { cwd: project, reject: false, env: { OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' } });

    expect([result.exitCode, String(result.stdout), String(result.stderr)]).toEqual([0, 'committed DOC_UPDATE README.md', '']);
    expect(await repo.git('show', 'hephaestus/evolve:README.md')).toBe('# Sums\n\nAdds numbers.');
    expect(await repo.git('status', '--porcelain')).toBe('');
  });
});
