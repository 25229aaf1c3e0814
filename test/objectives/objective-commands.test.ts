// `hephaestus objective add|list|remove|clear` as a user runs them (real CLI, real repository).
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
afterEach(async () => repo?.remove());

const idOf = (stdout: string) => /^Queued ([0-9a-f]{8}):/.exec(stdout)?.[1] ?? '';

describe('objective commands', () => {
  it('list shows what add queued, in serving order with ids; remove and clear take them out', async () => {
    repo = await makeTempRepo({ 'src/parse.ts': 'export const parse = 1;\n' });
    const first = await runCli(['objective', 'add', 'Add input validation', '--repo', repo.root, '--file', 'src/parse.ts']);
    expect(first.stdout).toMatch(/^Queued [0-9a-f]{8}: "Add input validation" \(position 1 of 1 user objectives\)\.$/);
    const second = await runCli(['objective', 'add', 'Document parse', '--repo', repo.root]);
    const [firstId, secondId] = [idOf(first.stdout), idOf(second.stdout)];

    const listed = await runCli(['objective', 'list', '--repo', repo.root]);
    expect(listed).toEqual({
      exitCode: 0,
      stdout: [`2 queued objectives, next first:`, `  1. ${firstId} [user] Add input validation (files: src/parse.ts)`, `  2. ${secondId} [user] Document parse`].join('\n'),
      stderr: '',
    });
    const json = JSON.parse((await runCli(['objective', 'list', '--repo', repo.root, '--json'])).stdout) as Array<{ text: string; files: string[] }>;
    expect(json.map((entry) => [entry.text, entry.files])).toEqual([['Add input validation', ['src/parse.ts']], ['Document parse', []]]);

    expect(await runCli(['objective', 'remove', firstId, '--repo', repo.root])).toEqual({ exitCode: 0, stdout: `Removed ${firstId}: "Add input validation".`, stderr: '' });
    const unknown = await runCli(['objective', 'remove', 'ffffffff', '--repo', repo.root]);
    expect(unknown).toEqual({ exitCode: 2, stdout: '', stderr: 'hephaestus: no queued objective has the id "ffffffff"; "hephaestus objective list" shows the ids.' });
    expect((await runCli(['objective', 'clear', '--repo', repo.root])).stdout).toBe('Removed 1 queued objective.');
    expect((await runCli(['objective', 'list', '--repo', repo.root])).stdout).toBe('The queue is empty; objectives are generated from the code metrics. Add one with: hephaestus objective add "..."');
  });

  it('add --file rejects a path that does not exist and queues nothing', async () => {
    repo = await makeTempRepo({ 'src/parse.ts': 'export const parse = 1;\n' });
    const result = await runCli(['objective', 'add', 'Add input validation', '--repo', repo.root, '--file', 'src/missing.ts'], { cwd: repo.root });
    expect(result).toEqual({ exitCode: 2, stdout: '', stderr: `hephaestus: --file src/missing.ts: no such file in the repository (looked for ${repo.root}/src/missing.ts).` });
    expect((await runCli(['objective', 'list', '--repo', repo.root])).stdout).toMatch(/^The queue is empty/);
  });
});
