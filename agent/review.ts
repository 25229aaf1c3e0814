// The optional review (`review.enabled`): the light model looks at a risky plan (deletions,
// processes, eval, network) before it is validated, and approves it or says what to change.
// An unreadable review counts as "not approved": a risky plan is never waved through by a
// reviewer that failed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { findPlanRisks, type PlanRisk } from './architect/plan-risks.js';
import type { Config } from './config/schema.js';
import { throwIfAborted } from './core/abort.js';
import { completeJson } from './llm/complete-json.js';
import type { LlmClient, UsageMeter } from './llm/types.js';
import { collectSecrets, redactSecrets } from './logging/redact-secrets.js';
import { changeDiff } from './patches/change-diff.js';
import type { PatchPlan } from './patches/plan-schema.js';
import { promptSourceOf, renderPrompt } from './prompts/render-prompt.js';

export { findPlanRisks, isRiskyPlan, type PlanRisk, type PlanRiskKind } from './architect/plan-risks.js';

export interface ReviewContext {
  repoRoot: string;
  config: Pick<Config, 'prompts'>;
  llm: LlmClient;
  logger: Logger;
  signal: AbortSignal;
  meter?: UsageMeter;
  /** The objective the plan answers; shown to the reviewer. */
  objective?: string;
  /** Values never sent to the model; default: collectSecrets(process.env). */
  secrets?: readonly string[];
}

export interface ReviewVerdict {
  approved: boolean;
  /** What the reviewer wants changed; null when approved or when it gave no reason. */
  feedback: string | null;
}

const reviewReplySchema = z.object({
  approved: z.boolean(),
  feedback: z.string().nullish(),
});

/** Diffs longer than this (about 10k tokens) are cut; the reviewer sees the risky parts' list in full anyway. */
const MAX_DIFF_CHARACTERS = 40_000;

export async function reviewPlan(plan: PatchPlan, changes: ReadonlyMap<string, string | null>, context: ReviewContext): Promise<ReviewVerdict> {
  const secrets = context.secrets ?? collectSecrets(process.env);
  const risks = findPlanRisks(plan, changes);
  const system = await renderPrompt(
    'review',
    {
      objective: context.objective?.trim() || '(not given)',
      risks: renderRisks(risks),
      analysis: plan.analysis.trim() || '(none)',
      diff: await renderDiff(changes, context.repoRoot, context.signal),
    },
    promptSourceOf(context.repoRoot, context.config.prompts.dir),
  );
  const parsed = await completeJson(
    context.llm,
    {
      role: 'light',
      purpose: 'review',
      system: redactSecrets(system, secrets),
      messages: [{ role: 'user', content: 'Review the plan.' }],
      temperature: 0,
      signal: context.signal,
      meter: context.meter,
    },
    reviewReplySchema,
  );
  if (!parsed.ok) {
    context.logger.warn({ code: parsed.problem.code, problem: parsed.problem.message }, 'review-unreadable: the plan counts as not approved');
    return { approved: false, feedback: null };
  }
  const feedback = parsed.value.feedback?.trim() || null;
  const verdict = { approved: parsed.value.approved, feedback: parsed.value.approved ? null : feedback };
  context.logger.debug({ approved: verdict.approved, risks: risks.length }, 'review-done');
  return verdict;
}

function renderRisks(risks: readonly PlanRisk[]): string {
  if (risks.length === 0) return '(none detected)';
  return risks.map((risk) => `- ${risk.file}: ${risk.detail}`).join('\n');
}

async function renderDiff(changes: ReadonlyMap<string, string | null>, repoRoot: string, signal: AbortSignal): Promise<string> {
  const diff = await changeDiff(changes, (file) => readOriginal(repoRoot, file, signal));
  if (diff.length <= MAX_DIFF_CHARACTERS) return diff;
  return `${diff.slice(0, MAX_DIFF_CHARACTERS)}\n… ${diff.length - MAX_DIFF_CHARACTERS} more characters of diff left out`;
}

async function readOriginal(repoRoot: string, file: string, signal: AbortSignal): Promise<string | null> {
  try {
    return await readFile(path.join(repoRoot, file), { encoding: 'utf8', signal });
  } catch (error) {
    throwIfAborted(signal, 'The review was interrupted.');
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
