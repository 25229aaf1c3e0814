// Sandbox preparation on a generated 2,000-file repository with a 20,000-file node_modules:
// pooled worktree reset (this project) vs a fresh `git worktree add` vs a full directory copy
// (`cp -r` of the tree including node_modules: the original Hephaestus's method), side by side.
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { pino } from 'pino';
import { runGit } from '../../agent/git/git-environment.js';
import { createSandboxPool } from '../../sandbox/sandbox-pool.js';
import { median, type Benchmark } from './bench-kit.js';

const SOURCE_FILES = 2_000;
const MODULE_FILES = 20_000;

async function generateRepository(root: string): Promise<void> {
  const limit = pLimit(64);
  const writes: Array<Promise<void>> = [];
  const write = (file: string, content: string) =>
    writes.push(
      limit(async () => {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, content);
      }),
    );
  for (let index = 0; index < SOURCE_FILES; index++) {
    write(path.join(root, `src/module${index % 40}/file${index}.ts`), `export const value${index} = ${index};\nexport function f${index}(x: number): number {\n  return x + value${index};\n}\n`);
  }
  for (let index = 0; index < MODULE_FILES; index++) {
    write(path.join(root, `node_modules/package${index % 200}/lib/file${index}.js`), `module.exports = ${index};\n`);
  }
  write(path.join(root, '.gitignore'), 'node_modules/\n');
  await Promise.all(writes);
  await runGit(root, ['init', '-q', '-b', 'main']);
  await runGit(root, ['add', '-A']);
  await runGit(root, ['commit', '-q', '-m', 'generated']);
}

/** What a rejected cycle leaves behind: edited sources, a new file, build output. */
async function dirty(sandboxRoot: string, round: number): Promise<void> {
  await writeFile(path.join(sandboxRoot, 'src/module0/file0.ts'), `export const broken${round} = ;\n`);
  await writeFile(path.join(sandboxRoot, 'src/module1/new-file.ts'), 'export const added = 1;\n');
  await mkdir(path.join(sandboxRoot, 'dist'), { recursive: true });
  await writeFile(path.join(sandboxRoot, 'dist/out.js'), 'built\n');
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

const benchmark: Benchmark = {
  name: 'sandbox preparation',
  async run() {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'hephaestus-bench-sandbox-'));
    try {
      const repoRoot = path.join(workDir, 'repo');
      const stateDir = path.join(workDir, 'state');
      await generateRepository(repoRoot);
      const signal = new AbortController().signal;
      const head = (await runGit(repoRoot, ['rev-parse', 'HEAD'])).stdout.trim();

      const pool = createSandboxPool({ repoRoot, stateDir, size: 1, linkPaths: ['node_modules'], logger: pino({ level: 'silent' }) });
      let sandbox = await pool.acquire(head, signal);
      const resets: number[] = [];
      for (let round = 0; round < 15; round++) {
        await dirty(sandbox.root, round);
        pool.release(sandbox);
        resets.push(await timed(async () => (sandbox = await pool.acquire(head, signal))));
      }
      pool.release(sandbox);

      const worktreeAdds: number[] = [];
      for (let round = 0; round < 5; round++) {
        const dir = path.join(workDir, `fresh-${round}`);
        worktreeAdds.push(
          await timed(async () => {
            await runGit(repoRoot, ['worktree', 'add', '-q', '--detach', dir, 'HEAD']);
            await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
          }),
        );
        await runGit(repoRoot, ['worktree', 'remove', '--force', dir]);
      }

      const copies: number[] = [];
      for (let round = 0; round < 3; round++) {
        const dir = path.join(workDir, `copy-${round}`);
        copies.push(await timed(() => execa('cp', ['-r', repoRoot, dir])));
        await rm(dir, { recursive: true, force: true });
      }

      const reset = median(resets);
      const fresh = median(worktreeAdds);
      const copy = median(copies);
      return [
        { metric: `pooled reset median (${SOURCE_FILES} files + ${MODULE_FILES} in node_modules)`, value: reset, unit: 'ms', target: '<= 50 ms', met: reset <= 50 },
        { metric: 'fresh git worktree add median', value: fresh, unit: 'ms' },
        { metric: 'full directory copy (cp -r) median', value: copy, unit: 'ms' },
        { metric: 'copy / pooled reset', value: copy / reset, unit: 'x', target: '>= 100x', met: copy / reset >= 100 },
        { metric: 'worktree add / pooled reset', value: fresh / reset, unit: 'x' },
      ];
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
};
export default benchmark;
