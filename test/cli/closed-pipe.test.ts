// A reader that leaves early (`hephaestus log | head -1`) ends the command quietly with exit 0,
// not an EPIPE stack trace. Real shell pipelines; pipefail gives the CLI's own exit code.
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CycleRecord } from '../../agent/cycle/cycle-record.js';
import { cycleRecord } from '../support/cycle-records.js';
import { CLI_PATH, cliEnvironment } from '../support/run-cli.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';
import { useTestScope } from '../cycle/cycle-kit.js';

const scope = useTestScope();

const record = (n: number): CycleRecord =>
  cycleRecord({ n, objective: `objective ${n}`, strategy: 'SYNTAX_ONLY', outcome: 'committed', commit: 'abcdef0123456789', files: ['src/a.ts'], steps: ['syntax'], startedAt: '2026-11-21T10:00:00.000Z', finishedAt: '2026-11-21T10:00:01.000Z' });

async function pipeline(repo: TempRepo, command: string, reader: string) {
  return execa('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI_PATH}" ${command} --repo "${repo.root}" | ${reader}`], { env: cliEnvironment(), extendEnv: false, reject: false });
}

describe('a closed pipe', () => {
  it('log | head -1 prints one line and exits 0 without a stack trace', async () => {
    const repo = scope.use(await makeTempRepo({ 'src/a.ts': 'export const a = 1;\n' }));
    await mkdir(path.join(repo.root, '.hephaestus'), { recursive: true });
    // Far more than a pipe buffer holds, so the CLI is still writing when head has gone.
    await writeFile(path.join(repo.root, '.hephaestus', 'evolution.jsonl'), Array.from({ length: 4000 }, (_, index) => JSON.stringify(record(index + 1))).join('\n'));
    const result = await pipeline(repo, 'log', 'head -1');
    expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }).toEqual({
      exitCode: 0,
      stdout: 'run 1 · cycle 1 2026-11-21 10:00:00 committed abcdef0123 [SYNTAX_ONLY, 1.0s] objective 1',
      stderr: '',
    });
  });

  it('status | head -3 prints three lines and exits 0 without a stack trace', async () => {
    const repo = scope.use(await makeTempRepo({ 'src/a.ts': 'export const a = 1;\n' }));
    await mkdir(path.join(repo.root, '.hephaestus'), { recursive: true });
    await writeFile(path.join(repo.root, '.hephaestus', 'evolution.jsonl'), [1, 2].map((n) => JSON.stringify(record(n))).join('\n'));
    const result = await pipeline(repo, 'status', 'head -3');
    expect({ exitCode: result.exitCode, stdout: result.stdout.split('\n'), stderr: result.stderr }).toEqual({
      exitCode: 0,
      stdout: ['Branch hephaestus/evolve does not exist yet (the first committed cycle creates it from HEAD)', '', 'Last 2 cycle(s):'],
      stderr: '',
    });
  });

  it('status into a reader that is already gone exits 0 without a stack trace', async () => {
    const repo = scope.use(await makeTempRepo({ 'src/a.ts': 'export const a = 1;\n' }));
    const result = await pipeline(repo, 'status', 'true');
    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: '' });
  });
});
