// How a phase ends a cycle early: it returns an outcome (a value), never throws one.
import type { Outcome } from './cycle-record.js';
import type { ReasonCode } from './reason-codes.js';

const ENDED = Symbol('cycle-ended');

export interface CycleOutcome {
  readonly [ENDED]: true;
  readonly outcome: Exclude<Outcome, 'committed'>;
  readonly reason: ReasonCode;
  readonly detail: string;
}

/** A phase's result: its value, or the outcome that ends the cycle. */
export type PhaseResult<T> = T | CycleOutcome;

export function endCycle(outcome: CycleOutcome['outcome'], reason: ReasonCode, detail: string): CycleOutcome {
  return { [ENDED]: true, outcome, reason, detail };
}

export function isCycleOutcome(value: unknown): value is CycleOutcome {
  return typeof value === 'object' && value !== null && ENDED in value;
}
