// The base-line phase: a validation step that already fails on the untouched base commit cannot
// tell a good change from a bad one, so the cycle ends BASELINE_FAILED (naming the step and the
// head of its output) instead of rejecting the plan. Verdicts are cached per base commit and
// validation config (strategies/baseline/baseline-store.ts): a known failure ends the next
// cycle before any validation runs.
import { strategiesOf } from '../../config/schema.js';
import { checkBaseline } from '../../../strategies/baseline/check-baseline.js';
import { findVerdict, readBaselineVerdicts, validationFingerprint, type BaselineVerdict } from '../../../strategies/baseline/baseline-store.js';
import type { Sandbox } from '../../../sandbox/sandbox.js';
import type { AffectedTests, StepResult } from '../../../strategies/steps/step.js';
import type { CycleContext } from '../cycle-context.js';
import { endCycle, type CycleOutcome } from '../cycle-outcome.js';

/** Failures the base itself may cause; the others (syntax, shrunk tests, interrupts) are the change's own. */
const BASE_DEPENDENT_REASONS: ReadonlySet<string> = new Set(['TYPECHECK_FAILED', 'LINT_FAILED', 'TESTS_FAILED', 'COMMAND_FAILED', 'STEP_TIMEOUT']);
const OUTPUT_HEAD_LINES = 20;
const OUTPUT_HEAD_CHARACTERS = 1_500;

/** BASELINE_FAILED when a cached verdict already says one of the strategies' steps fails on `baseCommit`. */
export async function knownBaselineFailure(strategies: readonly string[], baseCommit: string, context: CycleContext): Promise<CycleOutcome | null> {
  const definitions = strategiesOf(context.config);
  const steps = [...new Set(strategies.flatMap((strategy) => definitions[strategy]?.steps ?? []))].filter((step) => step !== 'syntax');
  if (steps.length === 0) return null;
  const verdicts = await readBaselineVerdicts(context.stateDir);
  const validation = validationFingerprint(context.config);
  for (const step of steps) {
    const verdict = findVerdict(verdicts, step, baseCommit, validation);
    if (verdict && !verdict.ok && verdict.reason !== 'ABORTED') return baselineFailed(verdict, true);
  }
  return null;
}

export interface FailedStepOnBase {
  /** The failing step's result in the patched tree. */
  failure: StepResult;
  /** A sandbox of this cycle that may be reset to the base commit. */
  sandbox: Sandbox;
  baseCommit: string;
  affectedTests: AffectedTests;
}

/** Runs the failing step on the untouched base (or reads its cached verdict): BASELINE_FAILED when it fails there too. */
export async function explainByBaseline(input: FailedStepOnBase, context: CycleContext): Promise<CycleOutcome | null> {
  if (input.failure.reason === null || !BASE_DEPENDENT_REASONS.has(input.failure.reason)) return null;
  const [verdict] = await checkBaseline({
    steps: [input.failure.step],
    config: context.config,
    stateDir: context.stateDir,
    sandbox: async () => {
      await input.sandbox.resetTo(input.baseCommit, context.signal);
      return { sandbox: input.sandbox, release: () => undefined };
    },
    baseCommit: input.baseCommit,
    affectedTests: input.affectedTests,
    logger: context.logger,
    signal: context.signal,
    redact: context.redactor.redact,
  });
  return verdict && !verdict.ok && !verdict.skipped && verdict.reason !== 'ABORTED' ? baselineFailed(verdict, false) : null;
}

function baselineFailed(verdict: BaselineVerdict, cached: boolean): CycleOutcome {
  const head = outputHead(verdict.outputTail);
  const detail =
    `${verdict.step} fails on the untouched base commit ${verdict.baseCommit.slice(0, 12)} (${verdict.reason ?? 'failed'}${cached ? ', checked before' : ''}), ` +
    `so it cannot tell a good change from a bad one. Fix the repository or the command in the config (validation.${configKeyOf(verdict.step)}); ` +
    '`hephaestus init` runs each command on the base and enables only those that pass.' +
    (head ? `\n${head}` : '');
  return endCycle('failed', 'BASELINE_FAILED', detail);
}

function configKeyOf(step: string): string {
  if (step.startsWith('command:')) return `commands.${step.slice('command:'.length)}`;
  return step.split(':')[0]!;
}

/** The first lines of the output: where the tool says what is wrong. */
function outputHead(output: string): string {
  const lines = output.trim().split('\n').slice(0, OUTPUT_HEAD_LINES).join('\n');
  return lines.length > OUTPUT_HEAD_CHARACTERS ? `${lines.slice(0, OUTPUT_HEAD_CHARACTERS)}…` : lines;
}
