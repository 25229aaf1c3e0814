// The promotion of a validated change, end to end (DESIGN.md §1.7): the sandbox commit, the
// compare-and-swap onto the agent's branch, the strategy's sanity step on the new tip, and the
// revert when that fails. A moved branch or a rolled-back commit is an outcome, not an error.
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import type { AffectedTests } from '../../strategies/steps/step.js';
import { promoteCommit } from './promote-commit.js';
import { BranchMovedError } from './promotion-errors.js';
import { runSanityStep } from './run-sanity-step.js';

export interface ChangeToPromote {
  sandbox: Sandbox;
  changes: ReadonlyMap<string, string | null>;
  strategy: string;
  message: string;
  /** The branch tip the change was based on (BranchBase.expectedTip). */
  expectedTip: string | null;
}

export interface PromotionContext {
  repoRoot: string;
  config: Config;
  affectedTests: AffectedTests;
  logger: Logger;
  signal: AbortSignal;
}

export type PromotionResult =
  | { promoted: true; commit: string; /** Where the commit went when it is not the branch tip, and how to pick it up. */ note: string | null }
  | { promoted: false; reason: 'BRANCH_MOVED' | 'REGRESSION_ROLLED_BACK'; detail: string };

export async function promoteChange(change: ChangeToPromote, context: PromotionContext): Promise<PromotionResult> {
  const { config, logger, signal } = context;
  // Built from the validated content itself, never from what the worktree holds after the tests ran.
  const commit = await change.sandbox.commit(change.message, change.changes, signal);
  let promotion;
  try {
    promotion = await promoteCommit({ repoRoot: context.repoRoot, branch: config.git.branch, commit, expectedTip: change.expectedTip, logger, signal });
  } catch (error) {
    if (error instanceof BranchMovedError) return { promoted: false, reason: 'BRANCH_MOVED', detail: error.message };
    throw error;
  }

  const sanity = await runSanityStep({
    strategy: change.strategy,
    repoRoot: context.repoRoot,
    promotion,
    author: config.git.author,
    sandbox: change.sandbox,
    changes: change.changes,
    config,
    affectedTests: context.affectedTests,
    signal,
    logger,
  });
  if (!sanity.ok && sanity.reason === 'REGRESSION_ROLLED_BACK') {
    const detail = `the sanity step ${sanity.step?.step ?? ''} failed on the new tip (${sanity.step?.reason ?? 'failed'}); reverted by ${sanity.reversion?.revertCommit.slice(0, 12) ?? '?'}\n${sanity.step?.outputTail ?? ''}`;
    return { promoted: false, reason: 'REGRESSION_ROLLED_BACK', detail };
  }
  return { promoted: true, commit, note: promotion.checkoutNote };
}
