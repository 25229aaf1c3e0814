// One limiter per process, shared by every concurrent LLM call: a FIFO queue of callers, a
// concurrency cap, and a sliding 60-second window of started requests for requests and tokens
// per minute. Waiting goes through the Clock, so tests drive it without wall time.
import { AbortedError } from '../core/errors.js';
import { abortedErrorOf } from '../core/abort.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { RateLimits } from './rate-limit-presets.js';

const WINDOW_MS = 60_000;

export interface RateLimitPermit {
  /** Frees the concurrency slot; `actualTokens` replaces the estimate in the token window. */
  release(actualTokens?: number): void;
}

export interface RateLimiterState {
  active: number;
  waiting: number;
}

export interface RateLimiter {
  readonly limits: RateLimits;
  /** Waits for a slot; rejects with AbortedError when `signal` aborts or the limiter closes. */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<RateLimitPermit>;
  state(): RateLimiterState;
  close(): void;
}

interface Waiter {
  tokens: number;
  resolve(permit: RateLimitPermit): void;
  reject(error: Error): void;
  detach(): void;
}

interface StartedRequest {
  at: number;
  tokens: number;
}

export function createRateLimiter(limits: RateLimits, clock: Clock = systemClock): RateLimiter {
  const queue: Waiter[] = [];
  const window: StartedRequest[] = [];
  const wakeController = new AbortController();
  let active = 0;
  let wakeAt: number | null = null;
  let closed = false;

  function prune(now: number): void {
    while (window.length > 0 && window[0]!.at + WINDOW_MS <= now) window.shift();
  }

  /** Milliseconds until a request of `tokens` may start under the per-minute limits. */
  function windowWait(tokens: number, now: number): number {
    let wait = 0;
    const rpm = limits.requestsPerMinute;
    if (rpm !== null && window.length >= rpm) wait = window[window.length - rpm]!.at + WINDOW_MS - now;
    const tpm = limits.tokensPerMinute;
    if (tpm !== null && window.length > 0) {
      let inWindow = window.reduce((sum, request) => sum + request.tokens, 0);
      // A request larger than the whole budget runs alone rather than never.
      for (const request of window) {
        if (inWindow + tokens <= tpm) break;
        inWindow -= request.tokens;
        wait = Math.max(wait, request.at + WINDOW_MS - now);
      }
    }
    return wait;
  }

  function pump(): void {
    while (queue.length > 0 && !closed) {
      if (active >= limits.maxConcurrent) return; // a release pumps again
      const head = queue[0]!;
      const now = clock.now();
      prune(now);
      const wait = windowWait(head.tokens, now);
      if (wait > 0) {
        scheduleWake(now + wait);
        return;
      }
      queue.shift();
      head.detach();
      active += 1;
      const started: StartedRequest = { at: now, tokens: head.tokens };
      window.push(started);
      head.resolve(permitFor(started));
    }
  }

  function scheduleWake(at: number): void {
    if (wakeAt !== null && wakeAt <= at) return;
    wakeAt = at;
    clock.sleep(at - clock.now(), wakeController.signal).then(
      () => {
        if (wakeAt === at) wakeAt = null;
        pump();
      },
      () => {
        // Closed: waiters were rejected already.
      },
    );
  }

  function permitFor(started: StartedRequest): RateLimitPermit {
    let released = false;
    return {
      release(actualTokens) {
        if (released) return;
        released = true;
        active -= 1;
        if (actualTokens !== undefined) started.tokens = actualTokens;
        pump();
      },
    };
  }

  return {
    limits,
    acquire(estimatedTokens, signal) {
      if (closed) return Promise.reject(new AbortedError('Interrupted: the LLM client is closed'));
      if (signal?.aborted) return Promise.reject(abortedErrorOf(signal));
      return new Promise<RateLimitPermit>((resolve, reject) => {
        const onAbort = () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          reject(abortedErrorOf(signal!));
          pump();
        };
        const waiter: Waiter = {
          tokens: Math.max(0, estimatedTokens),
          resolve,
          reject,
          detach: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
        pump();
      });
    },
    state: () => ({ active, waiting: queue.length }),
    close() {
      closed = true;
      wakeController.abort();
      for (const waiter of queue.splice(0)) {
        waiter.detach();
        waiter.reject(new AbortedError('Interrupted: the LLM client is closed'));
      }
    },
  };
}
