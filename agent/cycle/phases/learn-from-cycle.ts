// The record phase (DESIGN.md §1.8), memory side: a failure becomes a failed entry, a lesson and,
// when the planner can act on one, a correction objective queued before the next cycle starts;
// a committed capacitation objective becomes a capability the objective prompt lists.
import { addObjective } from '../../objectives/objective-queue.js';
import { validationFingerprint } from '../../../strategies/baseline/baseline-store.js';
import { correctionObjective } from '../correction-objective.js';
import type { CycleContext } from '../cycle-context.js';
import type { ReasonCode } from '../reason-codes.js';
import type { CycleObjective } from './choose-objective.js';
import { CAPACITATION_PREFIX } from './plan-candidates.js';
import type { Candidate } from './validate-candidates.js';

export interface FailureToLearn {
  objective: CycleObjective;
  strategy: string | null;
  reason: ReasonCode;
  detail: string;
  candidate: Candidate | null;
  /** The commit the cycle started from (null when it failed before resolving it). */
  baseCommit: string | null;
}

export async function learnFromFailure(failure: FailureToLearn, context: CycleContext): Promise<void> {
  const { objective, reason, candidate } = failure;
  const { memory } = context;
  const redact = context.redactor.redact;
  const detail = redact(failure.detail);
  const validatedAgainst = failure.baseCommit === null ? null : { validation: validationFingerprint(context.config), baseCommit: failure.baseCommit };
  memory.recordFailed({ objective: objective.text, strategy: failure.strategy, reason, detail: detail.slice(-2_000), planHash: candidate?.hash ?? null, validatedAgainst });
  memory.addLesson({ objective: objective.text, reason, lesson: `${reason}: ${firstLines(detail, 3)}` });
  // A planner that only carries out its own proposals could do nothing with a correction objective.
  if (!context.planner.capabilities.arbitraryObjectives) return;
  const correction = correctionObjective({ objective: objective.text, reason, detail, files: candidate ? [...candidate.changes.keys()] : objective.files, wasCorrection: objective.source === 'correction' });
  if (!correction) return;
  // Awaited: the next cycle takes its objective from the same queue.
  const redacted = { ...correction, text: redact(correction.text), ...(correction.detail ? { detail: redact(correction.detail) } : {}) };
  await addObjective(context.stateDir, redacted).catch((error: unknown) => context.logger.warn({ err: error }, 'could not queue the correction objective'));
}

export function learnFromCommit(objective: CycleObjective, context: CycleContext): void {
  if (objective.source === 'capacitation' && objective.text.startsWith(CAPACITATION_PREFIX)) {
    context.memory.addCapability(objective.text.slice(CAPACITATION_PREFIX.length).trim());
  }
}

function firstLines(text: string, count: number): string {
  return text.split('\n').filter((line) => line.trim() !== '').slice(0, count).join(' / ').slice(0, 400);
}
