// The objective queue and the evolution log on real files, including writers in several processes.
import { execa } from 'execa';
import { appendFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CycleRecord } from '../../agent/cycle/cycle-record.js';
import { appendCycleRecord, readCycleRecords } from '../../agent/state/evolution-log.js';
import { addObjective, readQueue, takeNextObjective } from '../../agent/objectives/objective-queue.js';
import { makeTempDir } from '../support/temp-repo.js';

const QUEUE_MODULE = fileURLToPath(new URL('../../dist/agent/objectives/objective-queue.js', import.meta.url));

describe('objective queue', () => {
  it('serves user objectives first in order, then corrections last-in first-out', async () => {
    const stateDir = await makeTempDir();
    await addObjective(stateDir, { text: 'user one', source: 'user' });
    await addObjective(stateDir, { text: 'fix after failure A', source: 'correction', detail: 'TESTS_FAILED: a.test.ts' });
    await addObjective(stateDir, { text: 'user two', source: 'user' });
    await addObjective(stateDir, { text: 'learn to parse YAML', source: 'capacitation' });
    const order: string[] = [];
    for (let next = await takeNextObjective(stateDir); next; next = await takeNextObjective(stateDir)) order.push(next.text);
    expect(order).toEqual(['user one', 'user two', 'learn to parse YAML', 'fix after failure A']);
    expect(await readQueue(stateDir)).toEqual({ user: [], stack: [] });
  });

  it('loses no objective when several processes add at once', async () => {
    const stateDir = await makeTempDir();
    const adder = (name: string) =>
      execa(process.execPath, [
        '--input-type=module',
        '-e',
        `import { addObjective } from ${JSON.stringify(QUEUE_MODULE)};
         for (let index = 0; index < 15; index++) await addObjective(${JSON.stringify(stateDir)}, { text: '${name} ' + index, source: 'user' });`,
      ]);
    await Promise.all([adder('a'), adder('b'), adder('c')]);
    const queue = await readQueue(stateDir);
    expect(queue.user).toHaveLength(45);
    for (const name of ['a', 'b', 'c']) {
      expect(queue.user.filter((entry) => entry.text.startsWith(`${name} `)).map((entry) => entry.text)).toEqual(
        Array.from({ length: 15 }, (_, index) => `${name} ${index}`),
      );
    }
  });
});

describe('evolution log', () => {
  const record = (n: number): CycleRecord => ({
    runId: 'run-1',
    n,
    objective: `objective ${n}`,
    strategy: 'FULL_VALIDATION',
    outcome: 'committed',
    reason: null,
    detail: 'all steps passed',
    commit: 'a'.repeat(40),
    files: ['src/a.ts'],
    steps: ['syntax'],
    durationsMs: { objective: 1, manifest: 2, architect: 3, precheck: 4, maestro: 5, validation: 6, commit: 7 },
    llm: { calls: 1, cacheHits: 0, tokensIn: 10, tokensOut: 20, cachedTokensIn: 0, cost: 0 },
    startedAt: '2026-11-21T10:00:00.000Z',
    finishedAt: '2026-11-21T10:00:01.000Z',
  });

  it('returns the last N records and skips a line cut short by a crash', async () => {
    const stateDir = await makeTempDir();
    for (const n of [1, 2, 3]) await appendCycleRecord(stateDir, record(n));
    await appendFile(`${stateDir}/evolution.jsonl`, '{"n": 4, "objective": "cut sh');
    const all = await readCycleRecords(stateDir);
    expect(all.records.map((entry) => entry.n)).toEqual([1, 2, 3]);
    expect(all.skipped).toBe(1);
    expect((await readCycleRecords(stateDir, 2)).records.map((entry) => entry.n)).toEqual([2, 3]);
  });
});
