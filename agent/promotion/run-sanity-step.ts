// After promotion, the strategy's sanity step runs on the new tip in the same sandbox, reset to
// exactly that commit first (validation may have written anything in the worktree); when
// it fails the promoted commit is reverted (REGRESSION_ROLLED_BACK). An interrupted sanity
// step is not a regression: the commit stays and the result says ABORTED. When the tip's tree
// is exactly the validated tree and the strategy's own steps already ran what the sanity step
// would, it is skipped: it could only repeat a result.
import type { GitAuthor } from '../git/git-environment.js';
import { tipHoldsChanges } from '../git/tip-holds-changes.js';
import type { Promotion } from './promote-commit.js';
import { revertPromotion, type Reversion } from './revert-promotion.js';
import { runStep } from '../../strategies/run-strategy.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { skippedStep, type StepContext, type StepResult } from '../../strategies/steps/step.js';
import { createStrategyRegistry, resolveStrategy } from '../../strategies/strategy-registry.js';

export interface SanityOutcome {
  ok: boolean;
  reason: 'REGRESSION_ROLLED_BACK' | 'ABORTED' | null;
  /** The sanity step's result; null when the strategy has none. */
  step: StepResult | null;
  /** The revert commit and its promotion, when rolled back. */
  reversion: Reversion | null;
}

export interface SanityOptions extends Omit<StepContext, 'sandbox'> {
  sandbox: StepContext['sandbox'] & Pick<Sandbox, 'resetTo'>;
  strategy: string;
  repoRoot: string;
  promotion: Promotion;
  author: GitAuthor;
}

export async function runSanityStep(options: SanityOptions): Promise<SanityOutcome> {
  const { sanity, steps } = resolveStrategy(createStrategyRegistry(options.config), options.strategy);
  if (sanity === null) return { ok: true, reason: null, step: null, reversion: null };
  const covered = steps.includes(sanity) || (sanity === 'tests:affected' && steps.includes('tests'));
  if (covered && (await tipHoldsChanges(options.repoRoot, options.promotion.tip, options.changes, options.signal))) {
    const why = `the new tip ${options.promotion.tip.slice(0, 12)} holds exactly the validated tree, where ${options.strategy} already ran ${sanity}`;
    return { ok: true, reason: null, step: skippedStep(sanity, why), reversion: null };
  }
  await options.sandbox.resetTo(options.promotion.tip, options.signal);
  const step = await runStep(sanity, options);
  if (step.ok) return { ok: true, reason: null, step, reversion: null };
  if (step.reason === 'ABORTED') return { ok: false, reason: 'ABORTED', step, reversion: null };
  const reversion = await revertPromotion({
    repoRoot: options.repoRoot,
    worktree: options.sandbox.root,
    promotion: options.promotion,
    why: `The sanity step "${sanity}" of ${options.strategy} failed on the new tip (${step.reason}); reason REGRESSION_ROLLED_BACK.`,
    author: options.author,
    logger: options.logger,
    signal: options.signal,
  });
  return { ok: false, reason: 'REGRESSION_ROLLED_BACK', step, reversion };
}
