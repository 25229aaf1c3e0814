// A Clock the test drives: time moves only when told (advanceTo / advanceToNextWake), or, in
// auto-advance mode, each sleep jumps time forward at once. Every requested sleep is recorded.
import { abortedErrorOf } from '../../agent/core/abort.js';
import type { Clock } from '../../agent/core/clock.js';

interface Sleeper {
  at: number;
  resolve(): void;
}

export class ManualClock implements Clock {
  #now: number;
  readonly #autoAdvance: boolean;
  readonly #sleepers: Sleeper[] = [];
  /** Every duration passed to sleep(), in call order. */
  readonly sleeps: number[] = [];

  constructor(options: { start?: number; autoAdvance?: boolean } = {}) {
    this.#now = options.start ?? 0;
    this.#autoAdvance = options.autoAdvance ?? false;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(abortedErrorOf(signal));
    if (this.#autoAdvance) {
      this.#now += Math.max(0, ms);
      return new Promise((resolve) => setImmediate(resolve));
    }
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {
        at: this.#now + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#sleepers.splice(this.#sleepers.indexOf(sleeper), 1);
        reject(abortedErrorOf(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.push(sleeper);
    });
  }

  get pendingSleeps(): number {
    return this.#sleepers.length;
  }

  /** Moves time to `time` and wakes every sleeper due by then, earliest first. */
  advanceTo(time: number): void {
    this.#now = Math.max(this.#now, time);
    const due = this.#sleepers.filter((sleeper) => sleeper.at <= this.#now).sort((left, right) => left.at - right.at);
    for (const sleeper of due) {
      this.#sleepers.splice(this.#sleepers.indexOf(sleeper), 1);
      sleeper.resolve();
    }
  }

  /** Moves time to the earliest pending wake-up; false when nobody sleeps. */
  advanceToNextWake(): boolean {
    if (this.#sleepers.length === 0) return false;
    this.advanceTo(Math.min(...this.#sleepers.map((sleeper) => sleeper.at)));
    return true;
  }
}
