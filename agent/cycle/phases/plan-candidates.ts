// The Architect phase (DESIGN.md §1.3–1.4): the planner writes one plan per candidate, each
// reply pre-checked by the cycle's (timed) pre-check. A plan that never passes, a capability the
// agent lacks, or only plans that already failed the same way end the cycle as outcomes.
import { checkArchitectReply } from '../../architect/check-architect-reply.js';
import type { UsageMeter } from '../../llm/types.js';
import { addObjective } from '../../objectives/objective-queue.js';
import { createTestFileMatcher } from '../../scanner/test-files.js';
import type { CycleContext } from '../cycle-context.js';
import { endCycle, type PhaseResult } from '../cycle-outcome.js';
import { planHash } from '../plan-hash.js';
import { validationFingerprint } from '../../../strategies/baseline/baseline-store.js';
import type { PhaseTimer } from '../phase-timer.js';
import type { BuiltManifest } from './build-manifest.js';
import type { CycleObjective } from './choose-objective.js';
import type { Candidate } from './validate-candidates.js';

export interface PlanInput extends BuiltManifest {
  objective: CycleObjective;
  /** The sandbox at the base commit. */
  workspace: string;
  /** The commit the plans apply to: a plan failed against another one is tried again. */
  baseCommit: string;
  candidates: number;
  meter: UsageMeter;
  timer: PhaseTimer;
  /** Dry runs report a missing capability without queuing a capacitation objective. */
  keepQueue?: boolean;
}

export async function planCandidates(input: PlanInput, context: CycleContext): Promise<PhaseResult<Candidate[]>> {
  const { config, planner, signal } = context;
  const { objective, workspace } = input;
  const isTestFile = createTestFileMatcher(config.validation.tests.files);
  const precheck = (text: string) => input.timer.time('precheck', () => checkArchitectReply(text, { repoRoot: workspace, config, signal, isTestFile }));
  const lessons = context.memory.lessonsFor(objective.text);
  const attempts = await Promise.allSettled(
    Array.from({ length: input.candidates }, (_, index) =>
      planner.planPatch(
        {
          objective,
          workspace,
          scan: input.scan,
          manifest: input.manifest,
          lessons,
          // Varied temperatures make the candidates differ.
          ...(input.candidates > 1 ? { temperature: Math.min(1, config.llm.temperature + index * 0.3) } : {}),
        },
        { logger: context.logger.child({ candidate: index + 1 }), signal, meter: input.meter, precheck },
      ),
    ),
  );
  const rejected = attempts.find((attempt): attempt is PromiseRejectedResult => attempt.status === 'rejected');
  const results = attempts.flatMap((attempt) => (attempt.status === 'fulfilled' ? [attempt.value] : []));
  const accepted = results.flatMap((result) => (result.ok ? [result] : []));
  if (accepted.length === 0) {
    if (rejected) throw rejected.reason;
    const failed = results.find((result) => !result.ok);
    if (failed && !failed.ok) return endCycle('rejected', 'ARCHITECT_FAILED', failed.detail);
  }

  const gap = accepted.find((result) => result.capabilityGap !== null && result.plan.patches.length === 0);
  if (gap?.capabilityGap) {
    if (input.keepQueue) return endCycle('skipped', 'CAPABILITY_GAP', `the Architect reports a missing capability (a dry run queues no capacitation objective): ${gap.capabilityGap}`);
    await addObjective(context.stateDir, { text: `${CAPACITATION_PREFIX}${gap.capabilityGap}`, source: 'capacitation', files: objective.files });
    return endCycle('skipped', 'CAPABILITY_GAP', `the Architect reports a missing capability, queued as a capacitation objective: ${gap.capabilityGap}`);
  }

  // Drop normalised duplicates and plans that already failed the same way.
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const result of accepted) {
    const hash = planHash(result.plan);
    if (seen.has(hash)) continue;
    seen.add(hash);
    // Only a failure against this base and this validation config says the plan would fail again.
    const previous = context.memory.planFailedAgainst(hash, { validation: validationFingerprint(config), baseCommit: input.baseCommit });
    if (previous) {
      context.logger.info({ planHash: hash, reason: previous.reason }, 'plan already failed before; not retried');
      continue;
    }
    candidates.push({ plan: result.plan, changes: result.changes, analysis: result.analysis, hash });
  }
  if (candidates.length === 0) return endCycle('skipped', 'REPEATED_PLAN', 'every plan the Architect produced already failed before in the same way; not retried');
  return candidates;
}

/** Capacitation objectives say which capability they add; a committed one is remembered as a capability. */
export const CAPACITATION_PREFIX = 'Add the missing capability: ';
