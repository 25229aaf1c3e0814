// What every repository command needs: the repository, its config, the state dir, a logger,
// optionally the run lock, and one close() that releases all of it.
import path from 'node:path';
import type { Logger } from 'pino';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import type { LogLevel } from '../config/log-levels.js';
import { locateRepository, type RepositoryLocation } from '../git/git-environment.js';
import { createLogger, type LoggerHandle } from '../logging/create-logger.js';
import { readEnvFileSecrets } from '../logging/env-file-secrets.js';
import { collectSecrets } from '../logging/redact-secrets.js';
import { createSecretRedactor, type SecretRedactor } from '../logging/secret-redactor.js';
import { acquireRunLock, type RunLock } from '../state/run-lock.js';
import { ensureStateDir } from '../state/state-dir.js';

export interface GlobalOptions {
  repo?: string;
  config?: string;
  logLevel?: LogLevel;
  ci?: boolean;
}

export interface CommandContext {
  repository: RepositoryLocation;
  loaded: LoadedConfig;
  stateDir: string;
  logger: Logger;
  log: LoggerHandle;
  /** The one redaction pass of every sink: environment and .env secrets, and what scans find. */
  redactor: SecretRedactor;
  lock: RunLock | null;
  signal: AbortSignal;
  close(): Promise<void>;
}

export interface OpenContextOptions extends GlobalOptions {
  command: string;
  lock: boolean;
  signal: AbortSignal;
  onLogger?: (handle: LoggerHandle) => void;
  /** Where console log lines go (default stderr); a progress display passes its terminal's stream. */
  consoleStream?: NodeJS.WritableStream;
  /** Config values from the command line, over files and environment (e.g. run --model). */
  configOverrides?: Record<string, unknown>;
}

export async function openCommandContext(options: OpenContextOptions): Promise<CommandContext> {
  const repository = await locateRepository(path.resolve(options.repo ?? process.cwd()));
  const loaded = await loadConfig({ repoRoot: repository.root, configPath: options.config, ...(options.configOverrides ? { overrides: options.configOverrides } : {}) });
  const stateDir = await ensureStateDir(repository);
  const level = options.logLevel ?? loaded.config.log.level;
  const redactor = createSecretRedactor([...collectSecrets(process.env, [loaded.apiKeys.openai, loaded.apiKeys.anthropic]), ...(await readEnvFileSecrets(repository.root))]);
  const log = createLogger({
    level,
    stateDir: loaded.config.log.file ? stateDir : null,
    console: options.ci ? 'json' : 'pretty',
    // The terminal shows warnings, or everything at the level asked for with --log-level.
    consoleLevel: options.logLevel ?? 'warn',
    ...(options.consoleStream ? { consoleStream: options.consoleStream } : {}),
    secrets: redactor.values,
  });
  options.onLogger?.(log);
  const logger = log.logger.child({ command: options.command });

  let lock: RunLock | null = null;
  if (options.lock) {
    lock = await acquireRunLock(stateDir, {
      command: options.command,
      onStaleLock: (stale) =>
        logger.warn(
          { stale },
          stale
            ? `took over a stale run lock left by pid ${stale.pid} (${stale.command}, since ${stale.startedAt}); that process is gone`
            : 'took over an unreadable run lock',
        ),
    });
  }
  logger.debug({ repo: repository.root, config: loaded.file }, 'command-start');

  return {
    repository,
    loaded,
    stateDir,
    logger,
    log,
    redactor,
    lock,
    signal: options.signal,
    async close() {
      await lock?.release();
      log.flush();
    },
  };
}
