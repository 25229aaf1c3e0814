// Time as a dependency: the rate limiter and the retry backoff read and wait through a Clock,
// so tests drive them with a manual clock instead of wall time.
import { setTimeout as delay } from 'node:timers/promises';
import { abortedErrorOf, throwIfAborted } from './abort.js';

export interface Clock {
  /** Milliseconds since an arbitrary origin; only differences matter. */
  now(): number;
  /** Resolves after `ms`; rejects with AbortedError when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  async sleep(ms, signal) {
    if (ms <= 0) {
      throwIfAborted(signal);
      return;
    }
    try {
      await delay(ms, undefined, signal === undefined ? undefined : { signal });
    } catch (error) {
      if (signal?.aborted) throw abortedErrorOf(signal);
      throw error;
    }
  },
};
