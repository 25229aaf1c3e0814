// Failures of promotion (moving the agent's branch to a validated commit).
import { HephaestusError, type HephaestusErrorOptions } from '../core/errors.js';

/**
 * The branch no longer points where the cycle started: someone (a user, another process)
 * moved it. Nothing is lost: the validated commit still exists (details.commit).
 */
export class BranchMovedError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('BRANCH_MOVED', message, options);
  }
}
