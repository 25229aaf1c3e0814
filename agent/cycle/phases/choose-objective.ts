// The objective phase (DESIGN.md §1.1): the one-off objective, else the queue (user objectives
// first, then the correction/capacitation stack), else one looked ahead during the previous
// cycle, else the planner's proposal. The loop guard skips an objective that failed too often.
import { runGit } from '../../git/git-environment.js';
import type { UsageMeter } from '../../llm/types.js';
import { normalise } from '../../memory/agent-memory.js';
import { readQueue, servingOrder, takeNextObjective, type QueuedObjective } from '../../objectives/objective-queue.js';
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
  /** The tree it was proposed for. */
  baseCommit: string;
  /** The objective the previous cycle was working on meanwhile (the proposal was told not to repeat it). */
  during: string;
}

export interface ObjectiveInput extends BuiltManifest {
  oneOff: string | null;
  lookAhead: LookAhead | null;
  workspace: string;
  /** The commit this cycle starts from. */
  baseCommit: string;
  meter: UsageMeter;
  /** Dry runs read the queue's next objective and leave it queued. */
  keepQueue?: boolean;
}

export async function chooseObjective(input: ObjectiveInput, context: CycleContext): Promise<PhaseResult<CycleObjective>> {
  if (input.oneOff) return { text: input.oneOff, files: [], detail: null, source: 'one-off' };
  const queued = input.keepQueue ? (servingOrder(await readQueue(context.stateDir))[0] ?? null) : await takeNextObjective(context.stateDir);
  if (queued) return { text: queued.text, files: queued.files, detail: queued.detail, source: queued.source };
  const ahead = input.lookAhead ? await stillCurrent(input.lookAhead, input, context) : null;
  if (ahead && context.memory.failureCount(ahead.text) < context.config.objectives.maxFailures) return ahead;
  const proposed = await proposeObjective(input, input.workspace, input.meter, [], context);
  if (proposed === null || proposed.text === null) return endCycle('skipped', 'NOTHING_TO_DO', proposed?.reason ?? 'no queued objective and nothing to improve was found');
  return proposed;
}

/** DEGENERATIVE_LOOP when the same objective already failed `objectives.maxFailures` times. */
export function checkLoopGuard(objective: CycleObjective, context: CycleContext): PhaseResult<CycleObjective> {
  const failures = context.memory.failureCount(objective.text);
  const limit = context.config.objectives.maxFailures;
  return failures >= limit ? endCycle('skipped', 'DEGENERATIVE_LOOP', `this objective already failed ${failures} times (objectives.maxFailures = ${limit})`) : objective;
}

export interface LookAheadInput extends BuiltManifest {
  workspace: string;
  baseCommit: string;
  /** What the current cycle is working on: the proposal must not repeat it. */
  current: string;
  meter: UsageMeter;
}

/** Starts proposing the next cycle's objective while this one validates (pipelining). */
export function lookAhead(input: LookAheadInput, context: CycleContext): LookAhead {
  const objective = proposeObjective(input, input.workspace, input.meter, [input.current], context).then((proposed) => (proposed?.text === null ? null : proposed), (error: unknown) => {
    context.logger.warn({ err: error }, 'proposing the next objective ahead failed');
    return null;
  });
  return { objective, meter: input.meter, baseCommit: input.baseCommit, during: input.current };
}

/**
 * The looked-ahead objective, if it still applies to this cycle's tree: not the objective it was
 * proposed during, and when the branch moved since (the previous cycle committed), not about a
 * file that commit changed (an objective naming no file cannot be told apart: it is proposed again).
 */
async function stillCurrent(ahead: LookAhead, input: ObjectiveInput, context: CycleContext): Promise<CycleObjective | null> {
  const proposed = await ahead.objective;
  if (proposed === null) return null;
  const discard = (why: string) => {
    context.logger.info({ event: 'look-ahead-discarded', objective: proposed.text, why }, `the objective proposed ahead is proposed again: ${why}`);
    return null;
  };
  if (normalise(proposed.text) === normalise(ahead.during)) return discard('it repeats the objective of the previous cycle');
  if (ahead.baseCommit === input.baseCommit) return proposed;
  if (proposed.files.length === 0) return discard(`the branch moved to ${input.baseCommit.slice(0, 12)} and it names no file`);
  const changed = await runGit(input.workspace, ['diff', '--name-only', '-z', ahead.baseCommit, input.baseCommit], { signal: context.signal, allowFailure: true });
  if (changed.exitCode !== 0) return discard('the files changed since could not be listed');
  const touched = new Set(changed.stdout.split('\0').filter((file) => file !== ''));
  const stale = proposed.files.filter((file) => touched.has(file));
  return stale.length > 0 ? discard(`the commit since changed ${stale.join(', ')}`) : proposed;
}

async function proposeObjective(manifest: BuiltManifest, workspace: string, meter: UsageMeter, attempting: readonly string[], context: CycleContext): Promise<CycleObjective | NothingToPropose | null> {
  const proposed = await context.planner.proposeObjective(
    { workspace, scan: manifest.scan, manifest: manifest.manifest, memory: context.memory, attempting },
    { logger: context.logger, signal: context.signal, meter },
  );
  if (proposed === null || proposed.text === null) return proposed;
  return { text: proposed.text, files: proposed.files, detail: proposed.rationale, source: proposed.source };
}
