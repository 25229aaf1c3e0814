// One run per repository: real processes hold and contend for `.hephaestus/run.lock`.
import { execa } from 'execa';
import { readFile, writeFile, mkdir, access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const LOCK_MODULE = fileURLToPath(new URL('../../dist/agent/state/run-lock.js', import.meta.url));
let repo: TempRepo;
afterEach(async () => repo?.remove());

/** A separate process that takes the lock and says so; it holds the lock until its stdin closes
 *  (`hold: true`), so no test depends on how fast processes start on a loaded machine. */
function holdLock(stateDir: string, options: { hold: boolean }, command = 'run') {
  const script = `
    import { acquireRunLock } from ${JSON.stringify(LOCK_MODULE)};
    try {
      const lock = await acquireRunLock(${JSON.stringify(stateDir)}, { command: ${JSON.stringify(command)}, onStaleLock: () => process.stdout.write('took-over ') });
      process.stdout.write('locked\\n');
      if (${options.hold}) await new Promise((resolve) => process.stdin.on('end', resolve).resume());
      await lock.release();
    } catch (error) {
      process.stdout.write(error.code + '\\n');
    }`;
  return execa(process.execPath, ['--input-type=module', '-e', script], { reject: false });
}

/** The first line a child prints. */
async function firstLine(child: ReturnType<typeof holdLock>): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      text += String(chunk);
      if (!text.includes('\n')) return;
      child.stdout!.off('data', onData);
      resolve(text.split('\n')[0]!.trim());
    };
    child.stdout!.on('data', onData);
  });
}

async function deadPid(): Promise<number> {
  const child = execa(process.execPath, ['-e', '0']);
  const pid = child.pid!;
  await child;
  return pid;
}

describe('run lock', () => {
  it('a second hephaestus on a locked repository exits 3 naming the holder', async () => {
    repo = await makeTempRepo({ 'README.md': '# r\n' });
    const stateDir = path.join(repo.root, '.hephaestus');
    await mkdir(stateDir, { recursive: true });
    const holder = holdLock(stateDir, { hold: true });
    // Wait until the holder reports it has the lock.
    expect(await firstLine(holder)).toBe('locked');

    const second = await runCli(['init', '--repo', repo.root]);
    holder.kill('SIGKILL');
    await holder;
    expect(second.exitCode).toBe(3);
    expect(second.stderr).toMatch(
      new RegExp(`^hephaestus: ${stateDir}/run\\.lock: another Hephaestus run holds this repository \\(pid ${holder.pid} on ${os.hostname()}, "run", since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)\\. Wait for it to finish, or stop that process\\.$`),
    );
    await expect(access(path.join(repo.root, 'hephaestus.config.json'))).rejects.toThrow();
  });

  it('a lock left by a dead process is taken over with a warning', async () => {
    repo = await makeTempRepo({ 'README.md': '# r\n' });
    const stateDir = path.join(repo.root, '.hephaestus');
    await mkdir(stateDir, { recursive: true });
    const pid = await deadPid();
    await writeFile(path.join(stateDir, 'run.lock'), JSON.stringify({ pid, host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'run' }));

    const result = await runCli(['init', '--repo', repo.root]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`WARN: took over a stale run lock left by pid ${pid} (run); that process is gone`);
    await expect(access(path.join(stateDir, 'run.lock'))).rejects.toThrow(); // released at the end
    const log = await readFile(path.join(stateDir, 'hephaestus.log'), 'utf8');
    expect(log).toContain('took over a stale run lock');
  });

  it('of several processes racing for a stale lock exactly one wins', async () => {
    repo = await makeTempRepo();
    const stateDir = path.join(repo.root, '.hephaestus');
    await mkdir(stateDir, { recursive: true });
    await writeFile(path.join(stateDir, 'run.lock'), JSON.stringify({ pid: await deadPid(), host: os.hostname(), startedAt: 'x', command: 'run' }));
    // Every contender holds what it got until all four have tried.
    const contenders = [1, 2, 3, 4].map(() => holdLock(stateDir, { hold: true }));
    const outcomes = await Promise.all(contenders.map(firstLine));
    for (const contender of contenders) contender.stdin!.end();
    await Promise.all(contenders);
    expect(outcomes.filter((outcome) => outcome.endsWith('locked')), outcomes.join(' | ')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'HEPHAESTUS_LOCK_HELD'), outcomes.join(' | ')).toHaveLength(3);
  });

  it('a corrupt lock file is treated as stale', async () => {
    repo = await makeTempRepo();
    const stateDir = path.join(repo.root, '.hephaestus');
    await mkdir(stateDir, { recursive: true });
    await writeFile(path.join(stateDir, 'run.lock'), '{"pid": ');
    const result = await holdLock(stateDir, { hold: false });
    expect(String(result.stdout)).toBe('took-over locked');
  });
});
