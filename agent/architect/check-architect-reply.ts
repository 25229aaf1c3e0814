// One Architect reply → an accepted plan, a capability gap, or the problems to send back:
// find and repair the JSON, then the pre-check (schema, guards, overlay, size, syntax).
import { z } from 'zod';
import { parseJsonReply } from '../llm/parse-json-reply.js';
import type { PlanStats } from '../patches/apply-patch-plan.js';
import type { PlanProblem } from '../patches/plan-problem.js';
import type { PatchPlan } from '../patches/plan-schema.js';
import { precheckPlan, type PrecheckOptions } from '../patches/precheck-plan.js';
import { checkReplySize } from '../patches/check-reply-size.js';

export type CheckedReply =
  | { ok: true; plan: PatchPlan; changes: Map<string, string | null>; stats: PlanStats; capabilityGap: string | null }
  | { ok: false; problems: PlanProblem[] };

/** Any JSON object; the plan's own schema runs in the pre-check, which names patches and fields. */
const replyObjectSchema = z.record(z.string(), z.unknown());

export async function checkArchitectReply(text: string, options: PrecheckOptions): Promise<CheckedReply> {
  const tooLarge = checkReplySize(text, options.config.guards);
  if (tooLarge) return { ok: false, problems: [tooLarge] };
  const parsed = parseJsonReply(text, replyObjectSchema);
  if (!parsed.ok) return { ok: false, problems: [{ code: 'PLAN_INVALID', message: parsed.problem.message }] };
  const reply = parsed.value;

  const gap = typeof reply.capability_gap === 'string' && reply.capability_gap.trim() !== '' ? reply.capability_gap.trim() : null;
  const patches = reply.patches;
  if (gap !== null && (patches === undefined || patches === null || (Array.isArray(patches) && patches.length === 0))) {
    const analysis = typeof reply.analysis === 'string' ? reply.analysis : '';
    return { ok: true, plan: { analysis, patches: [], capability_gap: gap }, changes: new Map(), stats: { files: 0, changedLines: 0 }, capabilityGap: gap };
  }

  const checked = await precheckPlan(reply, options);
  if (!checked.ok) return checked;
  return { ok: true, plan: checked.plan, changes: checked.changes, stats: checked.stats, capabilityGap: gap };
}
