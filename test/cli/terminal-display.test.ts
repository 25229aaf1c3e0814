// What `hephaestus run` leaves on a real terminal (a pseudo-terminal rendered by a headless
// xterm) at 60 and 120 columns: the status line is redrawn in place and never wraps, log lines
// and the Ctrl-C notice start on lines of their own, colour follows NO_COLOR / FORCE_COLOR.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInTerminal } from '../support/pseudo-terminal.js';
import { runCli } from '../support/run-cli.js';
import { TEST_API_KEY, makeNodeProject, planReply, plans, scriptRoles, useCycleBench } from '../cycle/cycle-kit.js';

const bench = useCycleBench();

const env = { OPENAI_API_KEY: TEST_API_KEY };
const OBJECTIVE = 'Add a subtract function to src/math.js next to add and multiply, exported, with the same argument order as add, so the calculator can take numbers away';
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
/** Times and hashes vary from run to run. */
const normalise = (line: string) => line.replace(/\b[0-9a-f]{10}\b/g, '<sha>').replace(/\d+\.\ds\b/g, '<s>');
/** Stale lock of a process that is gone: taking it over logs a warning. */
async function leaveStaleLock(root: string) {
  await mkdir(path.join(root, '.hephaestus'), { recursive: true });
  await writeFile(path.join(root, '.hephaestus', 'run.lock'), `${JSON.stringify({ pid: 2 ** 22 + 17, host: (await import('node:os')).hostname(), startedAt: '2026-11-21T10:00:00.000Z', command: 'run' })}\n`);
}

describe.each([60, 120])('hephaestus run on a %i-column terminal', (columns) => {
  it('redraws the status line in place: only the warning, the cycle line and the summary remain', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    await leaveStaleLock(repo.root);
    // The Architect takes a while, so the spinner redraws many times while it waits.
    scriptRoles(bench.server, () => ({ ...planReply(plans.addSubtract), latencyMs: 1_500 }));
    const run = await runInTerminal(['run', '--repo', repo.root, '--objective', OBJECTIVE], { columns, env });
    expect(run.exitCode).toBe(0);
    expect(run.screen.filter((row) => SPINNER.test(row))).toEqual([]);
    expect(run.screen.every((row) => row.length <= columns)).toBe(true);
    // The status line was shown, cut to the width (never wrapped), with the objective in it.
    const frames = run.raw.split(/\r|\n/).map((frame) => frame.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')).filter((frame) => SPINNER.test(frame));
    expect(frames.length).toBeGreaterThan(3);
    expect(frames.every((frame) => [...frame].length <= columns - 1)).toBe(true);
    expect(frames.some((frame) => frame.includes('run 1 · cycle 1/1 · architect · Add a subtract'))).toBe(true);
    expect(run.lines.map(normalise).slice(-2)).toEqual([
      `✔ run 1 · cycle 1/1 committed <sha> [SYNTAX_AND_TESTS] in <s> — ${OBJECTIVE.slice(0, 89)}…`,
      expect.stringMatching(/^1 cycle\(s\): 1 committed to hephaestus\/evolve, 0 rejected, 0 failed\. LLM: 2 calls, 0 cache hits, \d+ tokens, \$0\.0000\.$/),
    ]);
    expect(run.lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: took over a stale run lock left by pid 4194321 /);
  });

  it('says Ctrl-C in a sentence on a line of its own, then stops cleanly (exit 130)', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    scriptRoles(bench.server, () => ({ fault: 'hang' }));
    const run = await runInTerminal(['run', '--repo', repo.root, '--objective', OBJECTIVE], {
      columns,
      env,
      input: { when: (raw) => raw.includes('· architect'), send: '\u0003' },
    });
    expect(run.exitCode).toBe(130);
    expect(run.screen.filter((row) => SPINNER.test(row))).toEqual([]);
    const notice = 'Received Ctrl-C (SIGINT): stopping the current step, then releasing the sandbox and flushing memory. Press Ctrl-C again to quit at once.';
    // The terminal echoes ^C where the cursor was; the notice itself starts a line.
    expect(run.lines.filter((line) => line.includes('Received Ctrl-C')).map((line) => line.replace(/^\^C/, ''))).toEqual([notice]);
    expect(run.lines.map(normalise).at(-2)).toBe(`✘ run 1 · cycle 1/1 failed ABORTED in <s> — ${OBJECTIVE.slice(0, 89)}…`);
  });
});

describe('colour and detail on the terminal', () => {
  it('NO_COLOR keeps warnings plain; FORCE_COLOR colours them', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    scriptRoles(bench.server, () => planReply(plans.addSubtract));
    const sgr = /\u001b\[[0-9;]*m/;
    await leaveStaleLock(repo.root);
    const plain = await runInTerminal(['run', '--repo', repo.root, '--objective', 'Add subtract'], { columns: 120, env: { ...env, NO_COLOR: '1' } });
    expect(plain.exitCode).toBe(0);
    expect(plain.raw).toMatch(/WARN: took over a stale run lock/);
    expect(sgr.test(plain.raw)).toBe(false);
    await leaveStaleLock(repo.root);
    const coloured = await runInTerminal(['run', '--repo', repo.root, '--objective', 'Add subtract'], { columns: 120, env: { ...env, NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(coloured.exitCode).toBe(0);
    expect(coloured.raw).toMatch(/\u001b\[33mWARN\u001b\[39m/);
  });

  it('--log-level debug shows debug lines on the terminal; the default shows only warnings', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    scriptRoles(bench.server, () => planReply(plans.addSubtract));
    const quiet = await runCli(['run', '--repo', repo.root, '--objective', 'Add subtract'], { env });
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stderr).not.toMatch(/DEBUG/);
    const detailed = await runCli(['--log-level', 'debug', 'run', '--repo', repo.root, '--objective', 'Add subtract'], { env });
    expect(detailed.exitCode).toBe(0);
    expect(detailed.stderr).toMatch(/DEBUG.*: command-start/);
    expect(detailed.stderr).toMatch(/INFO.*: strategy-chosen/);
  });
});
