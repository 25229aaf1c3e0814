// The README's library example, run as written: its code block is saved as a script in a
// project that depends on this package (node_modules/hephaestus-agent links to the build),
// and run on a real repository.
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';
import { exampleProject } from './readme-example-kit.js';

let repo: TempRepo | undefined;
afterEach(async () => repo?.remove());

describe('the README library example', () => {
  it('runs one cycle with its own provider and commits the README line', async () => {
    const project = await exampleProject('evolve-once.mjs');
    repo = await makeTempRepo({ 'README.md': '# Sums\n', 'src/sum.js': 'export const sum = (a, b) => a + b;\n' });

    const result = await execa(process.execPath, ['evolve-once.mjs', repo.root], { cwd: project, reject: false, env: { OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' } });

    expect([result.exitCode, String(result.stdout), String(result.stderr)]).toEqual([0, 'committed DOC_UPDATE README.md', '']);
    expect(await repo.git('show', 'hephaestus/evolve:README.md')).toBe('# Sums\n\nAdds numbers.');
    expect(await repo.git('status', '--porcelain')).toBe('');
  });
});
