// Memory on a real state directory: write-behind saves, crash safety, corrupt-file recovery,
// bounded lists with stats kept, lessons by similarity.
import { execa } from 'execa';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AgentMemory } from '../../agent/memory/agent-memory.js';
import { makeTempDir } from '../support/temp-repo.js';

const MEMORY_MODULE = fileURLToPath(new URL('../../dist/agent/memory/agent-memory.js', import.meta.url));
const fixedNow = () => new Date('2026-11-21T10:00:00.000Z');

describe('agent memory', () => {
  it('save() returns before writing; bursts coalesce; flush() puts the last state on disk', async () => {
    const stateDir = await makeTempDir();
    const memory = await AgentMemory.open(stateDir, { maxEntries: 50, now: fixedNow });
    for (let index = 0; index < 100; index++) {
      memory.recordStrategy('FULL_VALIDATION', index % 4 !== 0, 10);
      memory.save();
    }
    // Nothing has been written yet: the write happens after the caller's burst.
    await expect(readFile(memory.file, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    await memory.flush();
    const onDisk = JSON.parse(await readFile(memory.file, 'utf8'));
    expect(onDisk.strategyStats).toEqual({ FULL_VALIDATION: { attempts: 100, successes: 75, failures: 25, totalMs: 1000 } });
    expect((await readdir(stateDir)).sort()).toEqual(['memory.json']); // no temp files left

    const reopened = await AgentMemory.open(stateDir, { maxEntries: 50 });
    expect(reopened.successRates()).toEqual({ FULL_VALIDATION: { attempts: 100, rate: 0.75 } });
  });

  it('a corrupt memory.json is kept aside and a fresh memory starts, with a warning', async () => {
    const stateDir = await makeTempDir();
    await writeFile(path.join(stateDir, 'memory.json'), '{"version": 1, "completed": [');
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));

    const memory = await AgentMemory.open(stateDir, { maxEntries: 10, logger, now: fixedNow });
    expect(memory.snapshot.completed).toEqual([]);
    expect((await readdir(stateDir)).sort()).toEqual(['memory.json.corrupt-2026-11-21T10-00-00.000Z']);
    expect(await readFile(path.join(stateDir, 'memory.json.corrupt-2026-11-21T10-00-00.000Z'), 'utf8')).toBe('{"version": 1, "completed": [');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).msg).toMatch(/^memory\.json was unreadable \(.+\); kept it as memory\.json\.corrupt-2026-11-21T10-00-00\.000Z and started a fresh memory$/);

    // A file that is JSON but not memory is treated the same way.
    await writeFile(path.join(stateDir, 'memory.json'), '{"version": 7}');
    const second = await AgentMemory.open(stateDir, { maxEntries: 10, logger, now: () => new Date('2026-11-21T11:00:00.000Z') });
    expect(second.snapshot.failed).toEqual([]);
    expect(lines).toHaveLength(2);
  });

  it('lists are bounded by maxEntries while strategy stats keep counting', async () => {
    const stateDir = await makeTempDir();
    const memory = await AgentMemory.open(stateDir, { maxEntries: 3, now: fixedNow });
    for (let index = 1; index <= 5; index++) {
      memory.recordFailed({ objective: `objective ${index}`, strategy: 'TEST_FIX', reason: 'TESTS_FAILED', detail: 'x', planHash: `h${index}` });
      memory.recordStrategy('TEST_FIX', false, 5);
    }
    expect(memory.snapshot.failed.map((entry) => entry.objective)).toEqual(['objective 3', 'objective 4', 'objective 5']);
    expect(memory.snapshot.strategyStats.TEST_FIX).toEqual({ attempts: 5, successes: 0, failures: 5, totalMs: 25 });
    expect(memory.failureCount('  Objective   5 ')).toBe(1);
    expect(memory.planFailedBefore('h4', 'TESTS_FAILED')).toBe(true);
    expect(memory.planFailedBefore('h4', 'SYNTAX_ERROR')).toBe(false);
  });

  it('remembers a failed plan with what it was validated against; another config or base makes it eligible again', async () => {
    const stateDir = await makeTempDir();
    const memory = await AgentMemory.open(stateDir, { maxEntries: 10, now: fixedNow });
    const against = { validation: 'config-a', baseCommit: 'base-1' };
    memory.recordFailed({ objective: 'o', strategy: 'TEST_FIX', reason: 'TESTS_FAILED', detail: 'd', planHash: 'h1', validatedAgainst: against });
    // An entry written before failures carried their context matches nothing.
    memory.recordFailed({ objective: 'o', strategy: 'TEST_FIX', reason: 'TESTS_FAILED', detail: 'd', planHash: 'h2' });
    memory.save();
    await memory.flush();
    const reopened = await AgentMemory.open(stateDir, { maxEntries: 10, now: fixedNow });
    expect(reopened.planFailedAgainst('h1', against)?.reason).toBe('TESTS_FAILED');
    expect([
      reopened.planFailedAgainst('h1', { validation: 'config-b', baseCommit: 'base-1' }),
      reopened.planFailedAgainst('h1', { validation: 'config-a', baseCommit: 'base-2' }),
      reopened.planFailedAgainst('h2', against),
    ]).toEqual([null, null, null]);
  });

  it('returns the lessons of the most similar objectives first', async () => {
    const memory = await AgentMemory.open(await makeTempDir(), { maxEntries: 10, now: fixedNow });
    memory.addLesson({ objective: 'Add input validation to src/parser.ts', lesson: 'parser tests need fixtures', reason: 'TESTS_FAILED' });
    memory.addLesson({ objective: 'Rename helpers in src/format.ts', lesson: 'format is re-exported', reason: 'TYPECHECK_FAILED' });
    memory.addLesson({ objective: 'Unrelated docs update', lesson: 'n/a', reason: 'SYNTAX_ERROR' });
    expect(memory.lessonsFor('Validate input in src/parser.ts', 2).map((lesson) => lesson.lesson)).toEqual(['parser tests need fixtures']);
  });

  it('survives SIGKILL at any moment: the file always parses', async () => {
    const stateDir = await makeTempDir();
    const script = `
      import { AgentMemory } from ${JSON.stringify(MEMORY_MODULE)};
      const memory = await AgentMemory.open(${JSON.stringify(stateDir)}, { maxEntries: 500 });
      memory.recordFailed({ objective: 'first', strategy: null, reason: 'TESTS_FAILED', detail: 'd', planHash: null });
      memory.save();
      await memory.flush();
      // The first write is on disk: from here on a kill at any moment must leave a readable file.
      process.stdout.write('written\\n');
      for (let index = 0; ; index++) {
        memory.recordFailed({ objective: 'objective ' + index + ' '.repeat(index % 200), strategy: null, reason: 'TESTS_FAILED', detail: 'd'.repeat(500), planHash: null });
        memory.save();
        await new Promise((resolve) => setImmediate(resolve));
      }`;
    for (let round = 0; round < 5; round++) {
      const child = execa(process.execPath, ['--input-type=module', '-e', script], { reject: false });
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      // Then a kill at a moment that varies from round to round (it is no deadline: the file must parse whenever it comes).
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 250)));
      child.kill('SIGKILL');
      await child;
      const reopened = await AgentMemory.open(stateDir, { maxEntries: 500 });
      expect(reopened.snapshot.failed.length).toBeGreaterThan(0);
      // No corrupt file was set aside and no temp file of a cut-short write is left.
      expect(await readdir(stateDir)).toEqual(['memory.json']);
    }
  });
});
