// The pino logger: JSON lines to `.hephaestus/hephaestus.log` (asynchronous, flushed on exit
// and on signals) plus a console stream on stderr: pretty on a TTY, JSON lines in CI mode.
// Secret values are redacted from every line before it is written anywhere.
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger, type StreamEntry } from 'pino';
import pretty from 'pino-pretty';
import { LOG_LEVELS, type LogLevel } from '../config/log-levels.js';
import { colorEnabled } from './color-enabled.js';
import { redactSecrets } from './redact-secrets.js';

export type { LogLevel };
export const LOG_FILE_NAME = 'hephaestus.log';

export interface CreateLoggerOptions {
  level: LogLevel;
  /** Directory for hephaestus.log; null writes no file. */
  stateDir: string | null;
  /** pretty: human-readable (TTY); json: JSON lines (CI); none: no console output. */
  console: 'pretty' | 'json' | 'none';
  /** Minimum level echoed on the console in pretty mode (the file gets everything at `level`). */
  consoleLevel?: LogLevel;
  secrets: readonly string[];
  /** Where console output goes (default: process.stderr). */
  consoleStream?: NodeJS.WritableStream;
  /** Colour on the console in pretty mode (default: NO_COLOR / FORCE_COLOR, then whether stderr is a terminal). */
  colorize?: boolean;
}

export interface LoggerHandle {
  logger: Logger;
  /** Writes to the log file only: for failures the CLI already reports on stderr. */
  fileLogger: Logger;
  file: string | null;
  /** Writes buffered lines synchronously; safe to call from exit handlers. */
  flush(): void;
}

const REDACTED_PATHS = [
  'apiKey', '*.apiKey', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'headers["x-api-key"]', '*.headers["x-api-key"]', 'apiKeys', '*.apiKeys',
];

export function createLogger(options: CreateLoggerOptions): LoggerHandle {
  const streams: StreamEntry[] = [];
  let fileDestination: pino.DestinationStream & { flushSync?: () => void } | null = null;
  let file: string | null = null;

  if (options.stateDir && options.level !== 'silent') {
    mkdirSync(options.stateDir, { recursive: true });
    file = path.join(options.stateDir, LOG_FILE_NAME);
    // Opening the descriptor synchronously makes the stream ready at once, so flushSync() works
    // even for commands that end a few milliseconds after start.
    const descriptor = openSync(file, 'a');
    fileDestination = pino.destination({ fd: descriptor, sync: false, minLength: 4096 });
    streams.push({ level: options.level as pino.Level, stream: fileDestination });
  }

  if (options.console !== 'none' && options.level !== 'silent') {
    const target = options.consoleStream ?? process.stderr;
    if (options.console === 'pretty') {
      const consoleLevel = options.consoleLevel ?? 'warn';
      streams.push({
        level: moreSevere(options.level, consoleLevel) as pino.Level,
        stream: pretty({ destination: target, sync: true, colorize: options.colorize ?? colorEnabled(process.stderr), ignore: 'pid,hostname', translateTime: 'HH:MM:ss' }),
      });
    } else {
      streams.push({ level: options.level as pino.Level, stream: target });
    }
  }

  // The same array the redactor updates in place: secrets found later are redacted too.
  const secrets = options.secrets;
  const loggerOptions: pino.LoggerOptions = {
    level: options.level,
    base: { pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    hooks: { streamWrite: (line) => redactSecrets(line, secrets) },
  };
  const silent = () => pino({ level: 'silent' });
  const logger = streams.length > 0 ? pino(loggerOptions, pino.multistream(streams)) : silent();
  const fileLogger = fileDestination ? pino(loggerOptions, fileDestination) : silent();

  return {
    logger,
    fileLogger,
    file,
    flush() {
      try {
        fileDestination?.flushSync?.();
      } catch {
        // Nothing buffered or the descriptor is already closed.
      }
    },
  };
}

function moreSevere(left: LogLevel, right: LogLevel): LogLevel {
  return LOG_LEVELS.indexOf(left) >= LOG_LEVELS.indexOf(right) ? left : right;
}
