// Runs one configured command as a child process in its own process group. On timeout or
// abort the whole group gets SIGTERM, then SIGKILL after a grace period; when the leader
// exits, anything it left behind in its group is killed too, so no test process outlives
// its step.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { OUTPUT_TAIL_BYTES, OutputTail } from './output-tail.js';

/** 'limit-exceeded' comes from the jailed runner (run-jailed.ts), never from runCommand itself. */
export type CommandOutcome = 'passed' | 'failed' | 'timed-out' | 'aborted' | 'spawn-failed' | 'limit-exceeded';

export interface RunCommandOptions {
  cwd: string;
  timeoutMs: number;
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Time between SIGTERM and SIGKILL on timeout or abort. */
  killGraceMs?: number;
  tailBytes?: number;
  /** Contents the child reads from file descriptors 3, 4, … (bubblewrap's --ro-bind-data). */
  inputs?: readonly string[];
  /** Called with the child's pid once it exists (the jailed runner watches its processes). */
  onSpawn?: (pid: number) => void;
}

export interface CommandResult {
  outcome: CommandOutcome;
  exitCode: number | null;
  /** The signal that ended the leader, when one did. */
  exitSignal: NodeJS.Signals | null;
  durationMs: number;
  /** Combined stdout and stderr, last bytes only. */
  outputTail: string;
  /** Process group id (the leader's pid); undefined when the spawn failed. */
  processGroup: number | undefined;
}

const DEFAULT_KILL_GRACE_MS = 2_000;
/** How long to wait for the output pipes to close after the group is gone. */
const PIPE_CLOSE_WAIT_MS = 1_000;

/** Environment for commands: the agent's own, with colours off so output tails stay readable. */
export function commandEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...base, NO_COLOR: '1' };
  delete environment.FORCE_COLOR;
  return environment;
}

export async function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  const started = performance.now();
  const tail = new OutputTail(options.tailBytes ?? OUTPUT_TAIL_BYTES);
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError('runCommand: empty argv');
  if (options.signal.aborted) {
    return { outcome: 'aborted', exitCode: null, exitSignal: null, durationMs: 0, outputTail: '', processGroup: undefined };
  }

  const inputs = options.inputs ?? [];
  const child = spawn(program, args, {
    cwd: options.cwd,
    env: options.env ?? commandEnvironment(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', ...inputs.map(() => 'pipe' as const)],
  }) as ChildProcessByStdio<null, Readable, Readable>;
  const processGroup = child.pid;
  if (processGroup !== undefined) options.onSpawn?.(processGroup);
  inputs.forEach((content, index) => {
    const input = child.stdio[3 + index] as Writable;
    // A child that exits before reading closes the pipe: nothing to report.
    input.on('error', () => {});
    input.end(content);
  });
  child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));

  return new Promise<CommandResult>((resolve) => {
    let stoppedBy: 'timed-out' | 'aborted' | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    let pipeTimer: NodeJS.Timeout | undefined;
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let spawnError: Error | null = null;
    let settled = false;

    const stop = (why: 'timed-out' | 'aborted') => {
      if (stoppedBy !== null || settled) return;
      stoppedBy = why;
      clearTimeout(timeoutTimer);
      killGroup(processGroup, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(processGroup, 'SIGKILL'), options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    };
    // A plain timer, held in this closure until the command settles. An AbortSignal.timeout()
    // passed only into AbortSignal.any() can be garbage-collected on Node 20 and never fire.
    const timeoutTimer = setTimeout(() => stop('timed-out'), Math.max(1, Math.ceil(options.timeoutMs)));
    const onAbort = () => stop('aborted');
    options.signal.addEventListener('abort', onAbort, { once: true });

    const settle = () => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      clearTimeout(pipeTimer);
      child.stdout.destroy();
      child.stderr.destroy();
      if (spawnError) tail.push(`${program}: ${spawnError.message}\n`);
      const outcome: CommandOutcome = spawnError ? 'spawn-failed' : (stoppedBy ?? (exitCode === 0 ? 'passed' : 'failed'));
      resolve({ outcome, exitCode, exitSignal, durationMs: performance.now() - started, outputTail: tail.text(), processGroup });
    };

    child.once('error', (error) => {
      spawnError = error;
      settle();
    });
    child.once('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      clearTimeout(timeoutTimer);
      // The leader is gone; whatever it started in its group goes with it.
      killGroup(processGroup, 'SIGKILL');
      pipeTimer = setTimeout(settle, PIPE_CLOSE_WAIT_MS);
    });
    child.once('close', settle);
  });
}

function killGroup(processGroup: number | undefined, signal: NodeJS.Signals): void {
  if (processGroup === undefined) return;
  try {
    process.kill(-processGroup, signal);
  } catch (error) {
    // ESRCH: the group is already gone. EPERM: the pid was reused by a process we do not own.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH' && code !== 'EPERM') throw error;
  }
}
