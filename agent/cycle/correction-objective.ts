// After a classified failure the cycle pushes a correction objective carrying the failure's
// detail, so the next cycle can fix what went wrong instead of starting over.
import type { NewObjective } from '../objectives/objective-queue.js';
import type { ReasonCode } from './reason-codes.js';

/** Cycle reasons worth a correction objective (the model can act on their detail). */
export const CORRECTABLE_REASONS: ReadonlySet<ReasonCode> = new Set<ReasonCode>(['TESTS_FAILED', 'TYPECHECK_FAILED', 'SYNTAX_ERROR', 'LINT_FAILED', 'ARCHITECT_FAILED', 'REGRESSION_ROLLED_BACK']);
const DETAIL_LIMIT = 2_000;

export interface FailureFacts {
  objective: string;
  reason: ReasonCode;
  detail: string;
  files: readonly string[];
  /** The objective that failed was itself a correction: do not chain corrections. */
  wasCorrection: boolean;
}

export function correctionObjective(facts: FailureFacts): NewObjective | null {
  if (facts.wasCorrection || !CORRECTABLE_REASONS.has(facts.reason)) return null;
  const detail = facts.detail.length > DETAIL_LIMIT ? `…${facts.detail.slice(-DETAIL_LIMIT)}` : facts.detail;
  return {
    text: `Correct the previous attempt at: ${facts.objective} (it failed with ${facts.reason})`,
    source: 'correction',
    files: [...facts.files],
    detail,
  };
}
