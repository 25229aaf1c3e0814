// Failures of the sandbox pool, each with a stable code.
import { HephaestusError, type HephaestusErrorOptions } from '../agent/core/errors.js';

/** A path in a change set would leave the sandbox, enter .git or write through a linked path. */
export class SandboxPathError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('PATH_REJECTED', message, options);
  }
}

/** The plan's files do not differ from the base commit, so there is nothing to commit. */
export class NoChangesError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('NO_CHANGES', message, options);
  }
}

/** acquire() after close(), or a waiter still queued when the pool closed. */
export class PoolClosedError extends HephaestusError {
  constructor(message = 'The sandbox pool is closed.', options: HephaestusErrorOptions = {}) {
    super('SANDBOX_POOL_CLOSED', message, options);
  }
}
