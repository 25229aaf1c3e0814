// A syntax command from config (e.g. `.py` → `python3 -m py_compile {file}`), run without a
// shell in a jail on a copy of the file in a temp directory (the jail's one writable place),
// with a timeout that kills everything it started. Only config names commands.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { throwIfAborted } from '../../agent/core/abort.js';
import { AbortedError, HephaestusError } from '../../agent/core/errors.js';
import { FILE_PLACEHOLDER, hasPlaceholder, parseCommand, substitutePlaceholders } from '../commands/parse-command.js';
import { extendJail, type JailSettings } from '../commands/jail-settings.js';
import { runJailed } from '../commands/run-jailed.js';
import type { SyntaxChecker, SyntaxProblem } from './syntax-checker.js';

export interface CommandCheckerOptions {
  command: string | readonly string[];
  timeoutMs: number;
  /** The jail the command runs in; the temp directory is added as its writable path. */
  jail: JailSettings;
}

/** The configured command could not be started: a problem of the machine, not of the plan. */
export class SyntaxCommandError extends HephaestusError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('SYNTAX_COMMAND_FAILED', message, options);
  }
}

const OUTPUT_TAIL_CHARS = 1_000;

export function createCommandChecker(options: CommandCheckerOptions): SyntaxChecker {
  const template = parseCommand(options.command);
  const shown = template.join(' ');
  return {
    name: `command: ${shown}`,
    async check(file, context) {
      const signal = context.signal ?? new AbortController().signal;
      throwIfAborted(signal, 'syntax check aborted');
      const directory = await mkdtemp(path.join(os.tmpdir(), 'hephaestus-syntax-'));
      try {
        const copy = path.join(directory, path.posix.basename(file.path));
        await writeFile(copy, file.content);
        const argv = hasPlaceholder(template, FILE_PLACEHOLDER) ? substitutePlaceholders(template, { file: copy }) : [...template, copy];
        const jail = extendJail(options.jail, { writablePaths: [directory] });
        const result = await runJailed(argv, { jail, cwd: directory, timeoutMs: options.timeoutMs, signal });
        switch (result.outcome) {
          case 'passed':
            return [];
          case 'failed':
            return [problemFromOutput(file.path, copy, result.outputTail, result.exitCode)];
          case 'timed-out':
            return [{ file: file.path, message: `syntax command "${shown}" timed out after ${options.timeoutMs} ms` }];
          case 'limit-exceeded':
            return [{ file: file.path, message: `syntax command "${shown}" stopped: ${result.limit?.message ?? 'a limit was reached'}` }];
          case 'aborted':
            throw new AbortedError('syntax check aborted', { cause: signal.reason });
          case 'spawn-failed':
            throw new SyntaxCommandError(`syntax command "${shown}" could not start: ${result.outputTail.trim()}`, { details: { command: template } });
        }
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

function problemFromOutput(file: string, copy: string, output: string, exitCode: number | null): SyntaxProblem {
  const text = output.replaceAll(copy, file).trim();
  const tail = text.length > OUTPUT_TAIL_CHARS ? `…${text.slice(-OUTPUT_TAIL_CHARS)}` : text;
  const position = new RegExp(`${escapeRegExp(file)}:(\\d+)(?::(\\d+))?`).exec(text) ?? /\bline (\d+)(?:,? column (\d+))?/.exec(text);
  return {
    file,
    ...(position ? { line: Number(position[1]) } : {}),
    ...(position?.[2] ? { column: Number(position[2]) } : {}),
    message: tail || `exited with code ${exitCode ?? 'unknown'}`,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
