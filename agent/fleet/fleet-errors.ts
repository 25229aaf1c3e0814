// The fleet's failure kinds, each with a stable code (exit codes: agent/cli/exit-codes.ts).
import { HephaestusError, type HephaestusErrorOptions } from '../core/errors.js';

/** The Redis URL is missing or not a redis:// / rediss:// URL. */
export class RedisUrlError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('FLEET_REDIS_URL_INVALID', message, options);
  }
}

/** Redis does not answer at the given URL. */
export class RedisUnreachableError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('FLEET_REDIS_UNREACHABLE', message, options);
  }
}

/** No repository with this id is in the fleet. */
export class UnknownRepositoryError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('FLEET_REPOSITORY_UNKNOWN', message, options);
  }
}

/** A `fleet add` argument is unusable (repository, schedule, config file). */
export class FleetInputError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('FLEET_INPUT_INVALID', message, options);
  }
}
