// Identical requests in flight at the same time share one call. Each participant can abort
// on its own; the shared work is aborted only when every participant has given up.
import { abortedErrorOf } from '../core/abort.js';

export interface FlightOutcome<Value> {
  value: Value;
  /** True for participants that joined a call another one started. */
  joined: boolean;
}

interface Flight<Value> {
  promise: Promise<Value>;
  participants: number;
  controller: AbortController;
}

export class SingleFlight<Value> {
  readonly #flights = new Map<string, Flight<Value>>();

  get inFlight(): number {
    return this.#flights.size;
  }

  run(key: string, signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<Value>): Promise<FlightOutcome<Value>> {
    if (signal?.aborted) return Promise.reject(abortedErrorOf(signal));
    let flight = this.#flights.get(key);
    const joined = flight !== undefined;
    if (flight === undefined) {
      const controller = new AbortController();
      const created: Flight<Value> = { promise: Promise.resolve().then(() => work(controller.signal)), participants: 0, controller };
      created.promise.then(
        () => this.#forget(key, created),
        () => this.#forget(key, created),
      );
      this.#flights.set(key, created);
      flight = created;
    }
    const shared = flight;
    shared.participants += 1;

    return new Promise<FlightOutcome<Value>>((resolve, reject) => {
      let settled = false;
      const leave = () => {
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (settled) return;
        settled = true;
        leave();
        shared.participants -= 1;
        if (shared.participants === 0) {
          this.#forget(key, shared);
          shared.controller.abort(signal!.reason);
        }
        reject(abortedErrorOf(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      shared.promise.then(
        (value) => {
          if (settled) return;
          settled = true;
          leave();
          resolve({ value, joined });
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          leave();
          reject(error);
        },
      );
    });
  }

  #forget(key: string, flight: Flight<Value>): void {
    if (this.#flights.get(key) === flight) this.#flights.delete(key);
  }
}
