// Cycle numbers restart with every run, so `log` and `status` name each cycle by its run too:
// "run 3 · cycle 2", runs numbered in the order they appear in the evolution log.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CycleRecord } from '../../agent/cycle/cycle-record.js';
import { cycleRecord } from '../support/cycle-records.js';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
afterEach(async () => repo?.remove());

const HISTORY: CycleRecord[] = [
  ['run-a', 1, '10:00'],
  ['run-a', 2, '10:01'],
  ['run-b', 1, '11:00'],
  ['run-c', 1, '12:00'],
].map(([runId, n, time]) =>
  cycleRecord({ runId: runId as string, n: n as number, objective: `objective of ${runId} ${n}`, strategy: 'SYNTAX_ONLY', outcome: 'committed', commit: 'abcdef0123456789', files: ['src/a.ts'], steps: ['syntax'], startedAt: `2026-11-21T${time}:00.000Z`, finishedAt: `2026-11-21T${time}:02.000Z` }),
);

async function repositoryWithHistory(): Promise<TempRepo> {
  const made = await makeTempRepo({ 'src/a.ts': 'export const a = 1;\n' });
  await mkdir(path.join(made.root, '.hephaestus'), { recursive: true });
  await writeFile(path.join(made.root, '.hephaestus', 'evolution.jsonl'), `${HISTORY.map((record) => JSON.stringify(record)).join('\n')}\n`);
  return made;
}

describe('run and cycle numbers', () => {
  it('log reads run 1 · cycle 1, run 1 · cycle 2, run 2 · cycle 1, run 3 · cycle 1; --csv has the run and its id', async () => {
    repo = await repositoryWithHistory();
    const log = await runCli(['log', '--repo', repo.root]);
    expect(log.exitCode).toBe(0);
    expect(log.stdout.split('\n').map((line) => line.split(' 2026-')[0])).toEqual(['run 1 · cycle 1', 'run 1 · cycle 2', 'run 2 · cycle 1', 'run 3 · cycle 1']);
    const csv = (await runCli(['log', '--repo', repo.root, '--csv'])).stdout.split('\n').slice(1);
    expect(csv.map((row) => row.split(',').slice(0, 3).join(','))).toEqual(['1,run-a,1', '1,run-a,2', '2,run-b,1', '3,run-c,1']);
  });

  it('status names the last cycles the same way', async () => {
    repo = await repositoryWithHistory();
    const status = await runCli(['status', '--repo', repo.root]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout.split('\n').filter((line) => line.startsWith('  ✔'))).toEqual([
      '  ✔ run 1 · cycle 1 committed abcdef0123 [SYNTAX_ONLY] in 2.0s — objective of run-a 1',
      '  ✔ run 1 · cycle 2 committed abcdef0123 [SYNTAX_ONLY] in 2.0s — objective of run-a 2',
      '  ✔ run 2 · cycle 1 committed abcdef0123 [SYNTAX_ONLY] in 2.0s — objective of run-b 1',
      '  ✔ run 3 · cycle 1 committed abcdef0123 [SYNTAX_ONLY] in 2.0s — objective of run-c 1',
    ]);
  });
});
