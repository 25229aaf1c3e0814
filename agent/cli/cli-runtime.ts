// What every CLI command is handed: output, the abort signal, the loggers to flush, the
// terminal; and the package version. A leaf the program and its commands both import.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoggerHandle } from '../logging/create-logger.js';
import { packageRoot } from '../package-root.js';
import type { CommandIo } from './command-io.js';
import type { Terminal } from './terminal.js';

export const VERSION: string = (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

export interface CliRuntime {
  io: CommandIo;
  signal: AbortSignal;
  /** Loggers opened by commands register here so signal handlers can flush them. */
  loggers: Set<LoggerHandle>;
  /** stderr: a status line (the progress display) and whole lines above it. */
  terminal: Terminal;
  /** A sentence for the user on stderr, on its own line even while a status line is shown. */
  notice(text: string): void;
}
