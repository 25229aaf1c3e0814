// One plan through what a cycle does with it, minus the model: the real pre-check, then the
// real validation of the candidate in a pooled sandbox. The verdict is the failure's reason and
// detail (null when the change passes), or the pre-check's codes.
import type { Config } from '../../../agent/config/schema.js';
import { validateCandidates } from '../../../agent/cycle/phases/validate-candidates.js';
import { precheckPlan } from '../../../agent/patches/precheck-plan.js';
import { silentLogger, type SandboxFixture } from '../../sandbox/support/sandbox-fixtures.js';

export interface PlanToValidate {
  name: string;
  patches: unknown[];
  /** Default SYNTAX_AND_TESTS. */
  strategy?: string;
}

export async function validatePlan(fixture: SandboxFixture, config: Config, entry: PlanToValidate): Promise<{ reason: string | null; detail: string }> {
  const signal = AbortSignal.timeout(240_000);
  const checked = await precheckPlan({ analysis: entry.name, patches: entry.patches }, { repoRoot: fixture.repo.root, config, signal });
  if (!checked.ok) return { reason: `PRECHECK ${checked.problems.map((problem) => problem.code).join(',')}`, detail: '' };
  const primary = await fixture.pool.acquire('HEAD', signal);
  const sandboxes = [primary];
  try {
    const outcome = await validateCandidates([{ plan: checked.plan, changes: checked.changes, analysis: entry.name, hash: entry.name }], {
      base: primary.baseCommit,
      primary,
      pool: fixture.pool,
      sandboxes,
      strategyOf: () => entry.strategy ?? 'SYNTAX_AND_TESTS',
      config,
      affectedTests: () => [],
      logger: silentLogger,
      signal,
    });
    return { reason: outcome.failure?.reason ?? null, detail: outcome.failure?.detail ?? '' };
  } finally {
    for (const sandbox of sandboxes) fixture.pool.release(sandbox);
  }
}
