// The command runner: real child processes in their own process groups.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand, substitutePlaceholders } from '../../strategies/commands/parse-command.js';
import { runCommand } from '../../strategies/commands/run-command.js';
import { isAlive, readPids, waitFor } from '../sandbox/support/sandbox-fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hephaestus-command-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[], timeoutMs = 20_000, signal = new AbortController().signal) => runCommand(argv, { cwd: dir, timeoutMs, signal, killGraceMs: 300 });

describe('parseCommand', () => {
  it('splits words like a shell without expanding anything', () => {
    expect(parseCommand(`node --test "a b.js" 'c $HOME' d\\ e {files}`)).toEqual(['node', '--test', 'a b.js', 'c $HOME', 'd e', '{files}']);
    expect(parseCommand(['npx', 'tsc'])).toEqual(['npx', 'tsc']);
    expect(() => parseCommand('node "open')).toThrow(/unterminated " quote/);
  });

  it('substitutes {files} as separate arguments and {file} inside an argument', () => {
    expect(substitutePlaceholders(['node', '--test', '{files}'], { files: ['a; rm -rf /.js', 'b.js'] })).toEqual(['node', '--test', './a; rm -rf /.js', './b.js']);
    expect(substitutePlaceholders(['node', '--test', '{files}'], { files: ['--test-name-pattern=zz.test.mjs', './c.js', '/abs/d.js'] })).toEqual(['node', '--test', './--test-name-pattern=zz.test.mjs', './c.js', '/abs/d.js']);
    expect(substitutePlaceholders(['python', '-m', 'py_compile', '--in={file}'], { file: 'x.py' })).toEqual(['python', '-m', 'py_compile', '--in=x.py']);
    expect(() => substitutePlaceholders(['--files={files}'], { files: ['a'] })).toThrow(/must stand alone/);
  });
});

describe('runCommand', () => {
  it('reports exit status and the combined output', async () => {
    const passed = await run(['sh', '-c', 'echo out; echo err >&2']);
    expect([passed.outcome, passed.exitCode, passed.outputTail]).toEqual(['passed', 0, 'out\nerr\n']);
    const failed = await run(['sh', '-c', 'echo broken; exit 3']);
    expect([failed.outcome, failed.exitCode, failed.outputTail]).toEqual(['failed', 3, 'broken\n']);
  });

  it('keeps only the last 4 KB of output, starting on a whole line', async () => {
    const result = await run(['node', '-e', 'for (let i = 0; i < 2000; i++) console.log("line " + i)']);
    expect(Buffer.byteLength(result.outputTail)).toBeLessThanOrEqual(4096);
    expect(result.outputTail.endsWith('line 1999\n')).toBe(true);
    expect(result.outputTail.split('\n')[0]).toMatch(/^line \d+$/);
  });

  it('kills the whole process group on timeout, including children that ignore SIGTERM', async () => {
    const pidFile = path.join(dir, 'timeout.pids');
    // An ignored signal stays ignored across fork and exec: both processes shrug off SIGTERM.
    const script = `trap '' TERM; sh -c 'echo $$ >> ${pidFile}; exec sleep 60' & echo $$ >> ${pidFile}; sleep 60`;
    const result = await run(['sh', '-c', script], 1_000);
    expect(result.outcome).toBe('timed-out');
    const pids = await readPids(pidFile);
    expect(pids).toHaveLength(2);
    await waitFor(async () => !(await Promise.all(pids.map(isAlive))).some(Boolean), 5_000);
  });

  it('kills what the leader left running in its group when it exits', async () => {
    const pidFile = path.join(dir, 'orphan.pids');
    const result = await run(['sh', '-c', `sh -c 'echo $$ > ${pidFile}; exec sleep 60' & sleep 0.2; exit 0`]);
    expect(result.outcome).toBe('passed');
    const [orphan] = await readPids(pidFile);
    await waitFor(async () => !(await isAlive(orphan!)), 5_000);
  });

  it('stops on abort and reports it as aborted, not as a timeout', async () => {
    const controller = new AbortController();
    // Aborted once the command runs (it says so with a file), not after a delay a loaded machine may outlast.
    const started = path.join(dir, 'abort-started');
    const running = run(['sh', '-c', `: > '${started}'; exec sleep 30`], 20_000, controller.signal);
    await waitFor(async () => existsSync(started));
    controller.abort();
    const result = await running;
    expect([result.outcome, result.exitCode]).toEqual(['aborted', null]);
  });

  it('reports a program that cannot start', async () => {
    const result = await run(['hephaestus-no-such-program']);
    expect(result.outcome).toBe('spawn-failed');
    expect(result.outputTail).toMatch(/^hephaestus-no-such-program: spawn hephaestus-no-such-program ENOENT\n$/);
  });
});
