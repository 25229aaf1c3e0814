// Abort checks in one place: an aborted signal becomes the agent's own AbortedError, keeping
// the signal's reason as its cause (an AbortedError reason is kept as it is).
import { AbortedError } from './errors.js';

/** The error a caller's abort turns into; `message` names what was interrupted. */
export function abortedErrorOf(signal: AbortSignal, message?: string): AbortedError {
  const reason: unknown = signal.reason;
  if (reason instanceof AbortedError && message === undefined) return reason;
  const text = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'aborted';
  return new AbortedError(message ?? `Interrupted: ${text}`, { cause: reason });
}

/** Throws abortedErrorOf(signal, message) when `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, message?: string): void {
  if (signal?.aborted) throw abortedErrorOf(signal, message);
}
