// The plan side of the reply cap: an Architect reply too large to hold a plan within
// guards.maxPlanBytes is refused by its length alone, before it is parsed, repaired, applied
// or sent back to the model in the next turn (each of those would copy it again).
import type { GuardsConfig } from './check-guards.js';
import type { PlanProblem } from './plan-problem.js';

/** Room for the analysis, the patch fields and JSON's quoting around the plan's content. */
const REPLY_OVERHEAD_BYTES = 65_536;

type PlanBytes = Pick<GuardsConfig, 'maxPlanBytes'>;

/**
 * The largest reply that can carry a plan within guards.maxPlanBytes: JSON escaping at most
 * doubles ordinary text (quotes, backslashes, newlines), plus the overhead.
 */
export function maxReplyBytes(guards: PlanBytes): number {
  return guards.maxPlanBytes * 2 + REPLY_OVERHEAD_BYTES;
}

/** The reply's size in bytes when it is over maxReplyBytes, else null. Copies nothing. */
export function oversizedReplyBytes(text: string, guards: PlanBytes): number | null {
  const limit = maxReplyBytes(guards);
  // A character is at most 3 UTF-8 bytes, so the exact count is only needed near the limit.
  if (text.length <= limit / 3) return null;
  const bytes = Buffer.byteLength(text);
  return bytes > limit ? bytes : null;
}

/** PATCH_TOO_LARGE for a reply over maxReplyBytes, else null. */
export function checkReplySize(text: string, guards: PlanBytes): PlanProblem | null {
  const bytes = oversizedReplyBytes(text, guards);
  if (bytes === null) return null;
  return {
    code: 'PATCH_TOO_LARGE',
    message: `the reply is ${bytes} bytes, more than a plan within guards.maxPlanBytes (${guards.maxPlanBytes} bytes of content) can take (${maxReplyBytes(guards)}); it was not read`,
    hint: 'Split the change into smaller objectives; generated or data files do not belong in a plan.',
  };
}
