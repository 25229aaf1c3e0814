// Errors with identity: every failure kind has a class and a stable `code`.
// The CLI maps codes to exit codes in one place (agent/cli/exit-codes.ts).

export interface HephaestusErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class HephaestusError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: HephaestusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** The configuration file or an environment override is invalid. */
export class ConfigError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('HEPHAESTUS_CONFIG_INVALID', message, options);
  }
}

/** The command line was used wrongly (bad option value, missing argument). */
export class UsageError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('HEPHAESTUS_USAGE', message, options);
  }
}

/** The target directory cannot be worked on (not a git repository, unreadable). */
export class RepositoryError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('HEPHAESTUS_REPO_UNUSABLE', message, options);
  }
}

/** Another live Hephaestus process holds the repository's run lock. */
export class LockHeldError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('HEPHAESTUS_LOCK_HELD', message, options);
  }
}

/** The run was interrupted (SIGINT/SIGTERM or an aborted signal). */
export class AbortedError extends HephaestusError {
  constructor(message = 'Interrupted', options: HephaestusErrorOptions = {}) {
    super('HEPHAESTUS_ABORTED', message, options);
  }
}

/** A git command failed; the repository is treated as dirty. */
export class GitError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('GIT_FAILED', message, options);
  }
}

export function isHephaestusError(error: unknown): error is HephaestusError {
  return error instanceof HephaestusError;
}
