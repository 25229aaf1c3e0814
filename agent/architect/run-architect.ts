// The Architect (DESIGN.md §1.3): asks the main model for a patch plan, pre-checks it in
// memory and, on a problem, shows the model the exact problem for up to
// `architect.maxReflections` more turns. With `review.enabled`, a risky plan goes to the light
// model first, and a rejection sends one round of feedback back to the Architect.
// A plan that never passes is data (ARCHITECT_FAILED with every attempt's problems), not an
// exception; LLM errors (budget, provider unavailable, abort) propagate with their own codes.
import type { Logger } from 'pino';
import { buildArchitectPrompt } from './build-architect-prompt.js';
import { checkArchitectReply, type CheckedReply } from './check-architect-reply.js';
import { findPlanRisks, type PlanRisk } from './plan-risks.js';
import type { ObjectiveFiles } from './select-context-files.js';
import type { Config } from '../config/schema.js';
import { throwIfAborted } from '../core/abort.js';
import type { ChatMessage, CompletionResult, LlmClient, UsageMeter } from '../llm/types.js';
import { collectSecrets, redactSecrets } from '../logging/redact-secrets.js';
import type { Lesson } from '../memory/memory-schema.js';
import type { PlanStats } from '../patches/apply-patch-plan.js';
import { oversizedReplyBytes } from '../patches/check-reply-size.js';
import { formatPlanProblems, type PlanProblem } from '../patches/plan-problem.js';
import { patchPlanSchema, type PatchPlan } from '../patches/plan-schema.js';
import { cachedResponseSchema } from '../llm/complete-json.js';
import { reviewPlan, type ReviewVerdict } from '../review.js';
import type { ScanResult } from '../scanner/scan-types.js';
import { createTestFileMatcher } from '../scanner/test-files.js';

export interface ArchitectInput {
  objective: ObjectiveFiles;
  scan: ScanResult;
  /** AGENTS.md text, rendered in memory for this cycle. */
  manifest: string;
  /** memory.lessonsFor(objective.text) */
  lessons: readonly Lesson[];
}

export interface ArchitectContext {
  repoRoot: string;
  config: Config;
  llm: LlmClient;
  logger: Logger;
  signal: AbortSignal;
  meter?: UsageMeter;
  temperature?: number;
  /** Values never sent to the model; default: collectSecrets(process.env). */
  secrets?: readonly string[];
  /** The pre-check of one reply (DESIGN.md §1.4); the cycle passes its own, timed one. */
  precheck?: (replyText: string) => Promise<CheckedReply>;
}

export type ArchitectResult =
  | {
      ok: true;
      plan: PatchPlan;
      changes: Map<string, string | null>;
      stats: PlanStats;
      analysis: string;
      /** Set when the model says the agent lacks a capability; the plan then has no patches. */
      capabilityGap: string | null;
      attempts: number;
      /** One entry per attempt, the accepted one last (empty). */
      problemsByAttempt: PlanProblem[][];
      /** Verdicts of the optional review, in order. */
      reviews: ReviewVerdict[];
      /** Files the prompt showed in full. */
      contextFiles: string[];
    }
  | {
      ok: false;
      reason: 'ARCHITECT_FAILED';
      /** Every attempt's problem codes and messages, in words. */
      detail: string;
      problemsByAttempt: PlanProblem[][];
      attempts: number;
      reviews: ReviewVerdict[];
      contextFiles: string[];
    };

/** One refused attempt: plan problems, or a review that did not approve. */
interface Refusal {
  problems: PlanProblem[];
  review: ReviewVerdict | null;
}

export async function runArchitect(input: ArchitectInput, context: ArchitectContext): Promise<ArchitectResult> {
  const { config, llm, logger, signal } = context;
  const secrets = context.secrets ?? collectSecrets(process.env);
  const prompt = await buildArchitectPrompt(input, { repoRoot: context.repoRoot, config, signal });
  const contextFiles = prompt.context.files.map((file) => file.path);
  const system = prompt.system.map((block) => ({ ...block, text: redactSecrets(block.text, secrets) }));
  // Reflections and review feedback append turns: the prompt before them stays the same bytes.
  const messages: ChatMessage[] = [{ role: 'user', content: redactSecrets(prompt.objective, secrets) }];
  const isTestFile = createTestFileMatcher(config.validation.tests.files);
  const precheck = context.precheck ?? ((text: string) => checkArchitectReply(text, { repoRoot: context.repoRoot, config, signal, isTestFile }));
  let reflectionsLeft = config.architect.maxReflections;
  let reviewRoundsLeft = 1;
  const refusals: Refusal[] = [];
  const problemsByAttempt: PlanProblem[][] = [];
  const reviews: ReviewVerdict[] = [];
  logger.debug({ contextFiles, omitted: prompt.context.omitted.map((file) => file.path) }, 'architect-context');

  for (let attempt = 1; ; attempt++) {
    throwIfAborted(signal, 'The Architect was interrupted.');
    const reply = await llm.complete({
      role: 'main',
      purpose: 'architect',
      system,
      messages: [...messages],
      responseFormat: 'json',
      responseSchema: cachedResponseSchema('patch_plan', patchPlanSchema),
      signal,
      meter: context.meter,
      ...(context.temperature === undefined ? {} : { temperature: context.temperature }),
    });
    const checked = await precheck(reply.text);

    if (!checked.ok) {
      problemsByAttempt.push(checked.problems);
      refusals.push({ problems: checked.problems, review: null });
      await llm.invalidate(reply);
      logger.info({ attempt, codes: checked.problems.map((problem) => problem.code) }, 'architect-plan-refused');
      if (reflectionsLeft === 0) return failure(refusals, problemsByAttempt, reviews, contextFiles);
      reflectionsLeft--;
      messages.push(...turn(reply, reflectionMessage(checked.problems, attempt, attempt + reflectionsLeft + 1), secrets, config.guards));
      continue;
    }

    const risks = checked.plan.patches.length > 0 && config.review.enabled ? findPlanRisks(checked.plan, checked.changes) : [];
    if (risks.length > 0) {
      const verdict = await reviewPlan(checked.plan, checked.changes, {
        repoRoot: context.repoRoot,
        config,
        llm,
        logger,
        signal,
        objective: input.objective.text,
        secrets,
        meter: context.meter,
      });
      reviews.push(verdict);
      if (!verdict.approved) {
        problemsByAttempt.push([]);
        refusals.push({ problems: [], review: verdict });
        await llm.invalidate(reply);
        logger.info({ attempt, risks: risks.map((risk) => risk.kind) }, 'architect-plan-not-approved');
        if (reviewRoundsLeft === 0) return failure(refusals, problemsByAttempt, reviews, contextFiles);
        reviewRoundsLeft--;
        messages.push(...turn(reply, reviewFeedbackMessage(verdict, risks), secrets, config.guards));
        continue;
      }
    }

    problemsByAttempt.push([]);
    logger.info({ attempt, patches: checked.plan.patches.length, capabilityGap: checked.capabilityGap !== null }, 'architect-plan-accepted');
    return acceptedPlan(checked, { attempts: attempt, problemsByAttempt, reviews, contextFiles });
  }
}

/** The result for a reply that passed the pre-check (and the review, if any). */
export function acceptedPlan(checked: Extract<CheckedReply, { ok: true }>, facts: Pick<ArchitectResult, 'attempts' | 'problemsByAttempt' | 'reviews' | 'contextFiles'>): ArchitectResult {
  return { ok: true, plan: checked.plan, changes: checked.changes, stats: checked.stats, analysis: checked.plan.analysis, capabilityGap: checked.capabilityGap, ...facts };
}

/** The model's reply and our answer to it, for the next turn; a reply over the cap is not repeated. */
function turn(reply: CompletionResult, answer: string, secrets: readonly string[], guards: Config['guards']): ChatMessage[] {
  const oversized = oversizedReplyBytes(reply.text, guards);
  return [
    { role: 'assistant', content: oversized === null ? reply.text : `(a reply of ${oversized} bytes, too large to repeat)` },
    { role: 'user', content: redactSecrets(answer, secrets) },
  ];
}

function reflectionMessage(problems: readonly PlanProblem[], attempt: number, maxAttempts: number): string {
  return [
    `Your patch plan was refused (attempt ${attempt} of ${maxAttempts}):`,
    formatPlanProblems(problems),
    '',
    'Fix every problem above and answer with the whole corrected JSON object (analysis and all patches). ' +
      'None of your patches was applied: copy block_to_replace, block_to_delete and after text exactly from the files as shown in the instructions.',
  ].join('\n');
}

function reviewFeedbackMessage(verdict: ReviewVerdict, risks: readonly PlanRisk[]): string {
  const flagged = risks.map((risk) => `- ${risk.file}: ${risk.detail}`).join('\n');
  return [
    `A reviewer did not approve your patch plan. It was flagged for:\n${flagged}`,
    `Reviewer's feedback: ${verdict.feedback ?? '(none given)'}`,
    '',
    'Revise the plan to address this (drop risky changes the objective does not need) and answer with the whole JSON object again.',
  ].join('\n');
}

function failure(refusals: readonly Refusal[], problemsByAttempt: PlanProblem[][], reviews: ReviewVerdict[], contextFiles: string[]): ArchitectResult {
  return { ok: false, reason: 'ARCHITECT_FAILED', detail: describeRefusals(refusals), problemsByAttempt, attempts: refusals.length, reviews, contextFiles };
}

/** "no acceptable patch plan in 3 attempts (BLOCK_NOT_FOUND; SYNTAX_ERROR; REVIEW_REJECTED)" plus one paragraph per attempt. */
function describeRefusals(refusals: readonly Refusal[]): string {
  const codesOf = (refusal: Refusal): string[] => (refusal.review ? ['REVIEW_REJECTED'] : [...new Set(refusal.problems.map((problem) => problem.code))]);
  const lines = [`no acceptable patch plan in ${refusals.length} attempt${refusals.length === 1 ? '' : 's'} (${refusals.map((refusal) => codesOf(refusal).join(', ')).join('; ')})`];
  refusals.forEach((refusal, index) => {
    const text = refusal.review
      ? `[REVIEW_REJECTED] ${refusal.review.feedback ?? 'the reviewer gave no reason'}`
      : formatPlanProblems(refusal.problems.map(({ hint: _hint, ...problem }) => problem));
    lines.push(`attempt ${index + 1}: ${text}`);
  });
  return lines.join('\n');
}
