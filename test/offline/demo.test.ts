// `hephaestus demo` end to end as a child process: no key, no server, the sample project shipped
// in the package, three offline cycles, and the sample's tests at the tip of the branch.
import { execa } from 'execa';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_FILES } from '../../agent/demo/sample-project.js';
import { runGit } from '../../agent/git/git-environment.js';
import { runCli } from '../support/run-cli.js';
import { makeTempDir } from '../support/temp-repo.js';

let parent: string | undefined;
afterEach(async () => {
  if (parent) await rm(parent, { recursive: true, force: true });
  parent = undefined;
});

const git = async (dir: string, ...args: string[]) => (await runGit(dir, args)).stdout;

describe('hephaestus demo', () => {
  it('evolves the sample project in three offline commits; its tests pass at the tip', async () => {
    parent = await makeTempDir('hephaestus-demo-test-');
    const dir = path.join(parent, 'demo');

    const result = await runCli(['demo', '--dir', dir], { cwd: parent, timeoutMs: 120_000 });
    expect(result.exitCode).toBe(0);
    const out = result.stdout.split('\n');
    expect(out.slice(0, 3)).toEqual([
      'Sample project: demo (JavaScript checked by TypeScript, node:test tests, 3 real defects)',
      'Its tests before any cycle: 4 passed, 1 failed (canOrder checks the stock)',
      'Running 3 offline cycle(s): the TypeScript language service proposes each fix; only what passes the tests is committed to hephaestus/evolve.',
    ]);
    expect(out).toContain('3 cycle(s): 3 committed to hephaestus/evolve, 0 rejected, 0 failed. Offline engine (no model, no network): found 3 fixes in the code and carried out 3.');
    const table = out.slice(out.indexOf('Cycles:') + 1, out.indexOf('Cycles:') + 5);
    expect(table).toEqual([
      '#  outcome    reason  strategy          files             objective',
      '1  committed  -       SYNTAX_AND_TESTS  src/inventory.js  Fix the missing `await` on `stockOf(sku)` in `canOrder` (src/inventory.js)',
      '2  committed  -       SYNTAX_AND_TESTS  src/inventory.js  Remove unused import `readFile` from src/inventory.js (cleanup)',
      '3  committed  -       SYNTAX_AND_TESTS  src/inventory.js  Remove unused variable `separator` from src/inventory.js (in `describeItem`, cleanup)',
    ]);
    expect(out.slice(-2)).toEqual(['Its tests at hephaestus/evolve (now checked out in demo): 5 passed, 0 failed', 'See every change with: git -C demo diff main']);
    // The progress display reports each cycle on stderr.
    expect(result.stderr.split('\n').filter((line) => line.startsWith('✔ run 1 · cycle')).length).toBe(3);

    expect((await git(dir, 'log', '--format=%s', 'main..hephaestus/evolve')).split('\n')).toEqual([
      'refactor(src): remove unused variable `separator` from src/inventory.js',
      'refactor(src): remove unused import `readFile` from src/inventory.js',
      'fix(src): fix the missing `await` on `stockOf(sku)` in `canOrder`',
    ]);
    expect(await git(dir, 'diff', '--stat', 'main', 'hephaestus/evolve')).toBe(' src/inventory.js | 4 +---\n 1 file changed, 1 insertion(+), 3 deletions(-)');
    const original = SAMPLE_FILES['src/inventory.js']!;
    expect(await git(dir, 'show', 'hephaestus/evolve:src/inventory.js')).toBe(
      original
        .replace("import { readFile } from 'node:fs/promises';\n", '')
        .replace('  const stock = stockOf(sku);', '  const stock = await stockOf(sku);')
        .replace("  const separator = ' - ';\n", '')
        .trimEnd(),
    );

    expect(await git(dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('hephaestus/evolve');
    const tests = await execa(process.execPath, ['--test', 'test/format.test.js', 'test/inventory.test.js'], { cwd: dir, reject: false, env: { NODE_OPTIONS: '' } });
    expect([tests.exitCode, /^# fail (\d+)$/m.exec(String(tests.stdout))?.[1]]).toEqual([0, '0']);
  });

  it('refuses a directory that is not empty (exit 2)', async () => {
    parent = await makeTempDir('hephaestus-demo-test-');
    await mkdir(path.join(parent, 'taken'));
    await writeFile(path.join(parent, 'taken', 'notes.txt'), 'mine\n');
    const result = await runCli(['demo', '--dir', path.join(parent, 'taken')], { cwd: parent });
    expect([result.exitCode, result.stderr.trim()]).toEqual([
      2,
      `hephaestus: --dir ${path.join(parent, 'taken')} is not empty; the demo writes a new project there. Pass a new or empty directory, or leave --dir out for a temporary one.`,
    ]);
  });
});
