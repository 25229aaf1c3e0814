// The commit phase (DESIGN.md §1.7): the commit message (template, or the light model), then
// the promotion module: sandbox commit, compare-and-swap, sanity step, revert on failure.
import { writeCommitMessage } from '../../git/commit-message.js';
import type { UsageMeter } from '../../llm/types.js';
import { promoteChange } from '../../promotion/promote-change.js';
import { affectedTests } from '../../scanner/import-graph.js';
import type { ScanResult } from '../../scanner/scan-types.js';
import type { Sandbox } from '../../../sandbox/sandbox.js';
import type { CycleContext } from '../cycle-context.js';
import { endCycle, type PhaseResult } from '../cycle-outcome.js';
import type { Candidate } from './validate-candidates.js';

export interface CommitInput {
  objective: string;
  sandbox: Sandbox;
  candidate: Candidate;
  strategy: string;
  /** The validation steps that ran: the commit's Validated-by trailer. */
  steps: readonly string[];
  expectedTip: string | null;
  scan: ScanResult;
  meter: UsageMeter;
}

export interface CommittedChange {
  commit: string;
  /** Set when a checkout of the branch kept it from moving (the commit is held) or from being fast-forwarded. */
  note: string | null;
}

/** The new tip of the branch, or the outcome that kept it from staying there. */
export async function commitChange(input: CommitInput, context: CycleContext): Promise<PhaseResult<CommittedChange>> {
  const { config, logger, signal } = context;
  const files = [...input.candidate.changes.keys()].sort();
  const message = await writeCommitMessage({
    objective: input.objective,
    // The winning candidate's plan: the message describes what is committed.
    analysis: input.candidate.analysis,
    files,
    mode: config.git.commitMessages,
    trailers: [['Validated-by', input.steps.length > 0 ? input.steps.join(', ') : 'nothing (validation.allowUnvalidated)']],
    ...(context.planner.llm ? { llm: context.planner.llm } : {}),
    meter: input.meter,
    logger,
    signal,
  });
  const promoted = await promoteChange(
    { sandbox: input.sandbox, changes: input.candidate.changes, strategy: input.strategy, message, expectedTip: input.expectedTip },
    { repoRoot: context.repoRoot, config, affectedTests: (changed) => affectedTests(input.scan, changed), logger, signal },
  );
  if (!promoted.promoted) return endCycle('rejected', promoted.reason, promoted.detail);
  context.memory.recordCompleted({ objective: input.objective, strategy: input.strategy, commit: promoted.commit, files });
  return { commit: promoted.commit, note: promoted.note };
}
