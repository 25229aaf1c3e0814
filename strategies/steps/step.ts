// The step contract: what every validation step receives and returns (DESIGN.md §4).
import type { Logger } from 'pino';
import type { Config } from '../../agent/config/schema.js';
import type { ChangeSet, Sandbox } from '../../sandbox/sandbox.js';
import type { BaseInventory } from '../tests/test-inventory.js';

export const STEP_REASONS = ['SYNTAX_ERROR', 'TYPECHECK_FAILED', 'LINT_FAILED', 'TESTS_FAILED', 'TESTS_REMOVED', 'TESTS_SKIPPED', 'TESTS_NOT_RUN', 'STEP_TIMEOUT', 'STEP_LIMIT', 'COMMAND_FAILED', 'NOT_VALIDATED', 'ABORTED'] as const;
export type StepReason = (typeof STEP_REASONS)[number];

export interface StepResult {
  step: string;
  ok: boolean;
  reason: StepReason | null;
  durationMs: number;
  /** Last ≤ 4 KB of the output that explains the result (the failing shard's, on failure). */
  outputTail: string;
  /** The step had nothing to run (no command configured, no test files); not a failure. */
  skipped?: boolean;
  /** Test files whose shard failed and then passed on the re-run. */
  flaky?: string[];
}

/** Repository-relative test files affected by the changed files (reverse import graph). */
export type AffectedTests = (changedFiles: string[]) => string[];

export interface StepContext {
  sandbox: Pick<Sandbox, 'id' | 'root' | 'stateDir' | 'boundaries'> & Partial<Pick<Sandbox, 'environment'>>;
  changes: ChangeSet;
  config: Config;
  affectedTests?: AffectedTests;
  /** The step checks an untouched tree (the baseline): `{files}` stands for every tracked file. */
  wholeTree?: boolean;
  /** What ran on the base; the tests step rejects a change that shrinks it. */
  baseInventory?: BaseInventory | null;
  signal: AbortSignal;
  logger: Logger;
}

export interface Step {
  readonly name: string;
  run(context: StepContext): Promise<StepResult>;
}

export function skippedStep(step: string, why: string): StepResult {
  return { step, ok: true, reason: null, durationMs: 0, outputTail: why, skipped: true };
}
