// Abort checks between steps raise the agent's own AbortedError, keeping the signal's reason as cause.
import { AbortedError } from '../errors.js';

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError('patch plan check aborted', { cause: signal.reason });
}
