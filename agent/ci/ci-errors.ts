// Failures of unattended runs against a remote: the evolution branch diverged or was moved by
// someone else. Both end the run with exit 1 and leave the remote exactly as it was.
import { HephaestusError, type HephaestusErrorOptions } from '../core/errors.js';

/** The local evolution branch and the remote one both have commits the other lacks. */
export class RemoteDivergedError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('REMOTE_DIVERGED', message, options);
  }
}

/** The push was refused: the remote branch is no longer where the run found it. */
export class RemoteMovedError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('REMOTE_MOVED', message, options);
  }
}

/** gh answered with an error while listing, opening or updating the pull request. */
export class PullRequestError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('PULL_REQUEST_FAILED', message, options);
  }
}
