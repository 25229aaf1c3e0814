// Runs the compiled CLI on a real pseudo-terminal (util-linux `script`) of a given size and
// renders what it wrote into a screen with a headless xterm, so tests check what a user sees:
// the lines left on the screen after every redraw, not the escape codes that drew them.
import { spawn } from 'node:child_process';
import xterm from '@xterm/headless';
import { CLI_PATH, cliEnvironment } from './run-cli.js';

export interface TerminalRun {
  exitCode: number | null;
  /** Every byte the CLI wrote to the terminal (stdout and stderr share it). */
  raw: string;
  /** The screen and its scrollback, one string per row, trailing blanks trimmed, trailing empty rows dropped. */
  screen: string[];
  /** The same, with rows the terminal wrapped joined back into the line that was written. */
  lines: string[];
  /** How much of `raw` had arrived when the input was typed; null when it never was. */
  inputAt: number | null;
  /** Milliseconds from typing the input to the terminal closing (the CLI's exit); null without input. */
  inputToExitMs: number | null;
}

export interface TerminalRunOptions {
  columns: number;
  rows?: number;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Called with the output so far; a returned string is typed into the terminal (e.g. "\x03" for Ctrl-C), once. */
  input?: { when: (raw: string) => boolean; send: string };
  timeoutMs?: number;
}

const shellQuote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

export async function runInTerminal(args: string[], options: TerminalRunOptions): Promise<TerminalRun> {
  const rows = options.rows ?? 50;
  const command = `stty cols ${options.columns} rows ${rows}; exec ${[process.execPath, CLI_PATH, ...args].map(shellQuote).join(' ')}`;
  // TERM names a terminal that can redraw; colour stays off unless the test's env asks for it.
  const env = cliEnvironment({ TERM: 'xterm-256color', ...options.env });
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    cwd: options.cwd ?? process.cwd(),
    env: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  let inputAt: number | null = null;
  let sentAt: number | null = null;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    raw += chunk;
    if (options.input && inputAt === null && options.input.when(raw)) {
      inputAt = raw.length;
      sentAt = performance.now();
      child.stdin.write(options.input.send);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const inputToExitMs = sentAt === null ? null : performance.now() - sentAt;
  clearTimeout(timer);
  return { exitCode, raw, inputAt, inputToExitMs, ...(await render(raw, options.columns, rows)) };
}

/** What a terminal of this size shows after receiving `raw`: scrollback plus screen. */
export async function render(raw: string, columns: number, rows: number): Promise<{ screen: string[]; lines: string[] }> {
  const terminal = new xterm.Terminal({ cols: columns, rows, scrollback: 10_000, allowProposedApi: true });
  await new Promise<void>((resolve) => terminal.write(raw, resolve));
  const buffer = terminal.buffer.active;
  const screen: string[] = [];
  const lines: string[] = [];
  for (let index = 0; index < buffer.length; index++) {
    const row = buffer.getLine(index);
    const text = row?.translateToString(true) ?? '';
    screen.push(text);
    if (row?.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  terminal.dispose();
  for (const list of [screen, lines]) while (list.length > 0 && list.at(-1) === '') list.pop();
  return { screen, lines };
}
