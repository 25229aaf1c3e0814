// The objective phase (DESIGN.md §1.1): the one-off objective, else the queue (user objectives
// first, then the correction/capacitation stack), else one looked ahead during the previous
// cycle, else the planner's proposal. The loop guard skips an objective that failed too often.
import type { UsageMeter } from '../../llm/types.js';
import { takeNextObjective, type QueuedObjective } from '../../objectives/objective-queue.js';
import type { NothingToPropose, ProposedObjective } from '../../planner/planner.js';
import type { CycleContext } from '../cycle-context.js';
import { endCycle, type PhaseResult } from '../cycle-outcome.js';
import type { BuiltManifest } from './build-manifest.js';

export interface CycleObjective {
  text: string;
  files: string[];
  /** What went wrong last time (correction objectives). */
  detail: string | null;
  source: QueuedObjective['source'] | 'one-off' | ProposedObjective['source'];
}

/** An objective proposed during the previous cycle's validation, with the usage it cost. */
export interface LookAhead {
  objective: Promise<CycleObjective | null>;
  meter: UsageMeter;
}

export interface ObjectiveInput extends BuiltManifest {
  oneOff: string | null;
  lookAhead: LookAhead | null;
  workspace: string;
  meter: UsageMeter;
}

export async function chooseObjective(input: ObjectiveInput, context: CycleContext): Promise<PhaseResult<CycleObjective>> {
  if (input.oneOff) return { text: input.oneOff, files: [], detail: null, source: 'one-off' };
  const queued = await takeNextObjective(context.stateDir);
  if (queued) return { text: queued.text, files: queued.files, detail: queued.detail, source: queued.source };
  const ahead = input.lookAhead ? await input.lookAhead.objective : null;
  if (ahead && context.memory.failureCount(ahead.text) < context.config.objectives.maxFailures) return ahead;
  const proposed = await proposeObjective(input, input.workspace, input.meter, context);
  if (proposed === null || proposed.text === null) return endCycle('skipped', 'NOTHING_TO_DO', proposed?.reason ?? 'no queued objective and nothing to improve was found');
  return proposed;
}

/** DEGENERATIVE_LOOP when the same objective already failed `objectives.maxFailures` times. */
export function checkLoopGuard(objective: CycleObjective, context: CycleContext): PhaseResult<CycleObjective> {
  const failures = context.memory.failureCount(objective.text);
  const limit = context.config.objectives.maxFailures;
  return failures >= limit ? endCycle('skipped', 'DEGENERATIVE_LOOP', `this objective already failed ${failures} times (objectives.maxFailures = ${limit})`) : objective;
}

/** Starts proposing the next cycle's objective while this one validates (pipelining). */
export function lookAhead(manifest: BuiltManifest, workspace: string, meter: UsageMeter, context: CycleContext): LookAhead {
  const objective = proposeObjective(manifest, workspace, meter, context).then((proposed) => (proposed?.text === null ? null : proposed), (error: unknown) => {
    context.logger.warn({ err: error }, 'proposing the next objective ahead failed');
    return null;
  });
  return { objective, meter };
}

async function proposeObjective(manifest: BuiltManifest, workspace: string, meter: UsageMeter, context: CycleContext): Promise<CycleObjective | NothingToPropose | null> {
  const proposed = await context.planner.proposeObjective(
    { workspace, scan: manifest.scan, manifest: manifest.manifest, memory: context.memory },
    { logger: context.logger, signal: context.signal, meter },
  );
  if (proposed === null || proposed.text === null) return proposed;
  return { text: proposed.text, files: proposed.files, detail: proposed.rationale, source: proposed.source };
}
