// Runs a configured command for a step in the sandbox's jail and maps the outcome to a step
// result: exit 0 → ok; non-zero → the step's failure reason; timeout → STEP_TIMEOUT; a limit
// of sandbox.limits → STEP_LIMIT; abort → ABORTED.
import type { CommandResult } from '../commands/run-command.js';
import { runJailed } from '../commands/run-jailed.js';
import type { StepContext, StepReason, StepResult } from './step.js';
import { stepJail, type JailInputs } from './step-jail.js';

export interface StepCommand {
  step: string;
  argv: readonly string[];
  timeoutMs: number;
  /** Reason when the command exits non-zero. */
  failureReason: StepReason;
  /** Paths and variables this command needs on top of the sandbox's. */
  jail?: JailInputs;
}

/** Runs `argv` in the sandbox's jail, with the sandbox's own variables (PYTHONPATH with its source roots). */
export async function runInSandbox(argv: readonly string[], context: StepContext, timeoutMs: number, signal: AbortSignal = context.signal, jail: JailInputs = {}): Promise<CommandResult> {
  const environment = { ...(context.sandbox.environment ?? {}), ...(jail.environment ?? {}) };
  return runJailed(argv, { jail: stepJail(context, { ...jail, environment }), cwd: context.sandbox.root, timeoutMs, signal, logger: context.logger });
}

export async function runStepCommand(command: StepCommand, context: StepContext): Promise<StepResult> {
  context.logger.debug({ event: 'step-command-start', step: command.step, argv: command.argv }, `${command.step}: ${command.argv.join(' ')}`);
  const result = await runInSandbox(command.argv, context, command.timeoutMs, context.signal, command.jail);
  return toStepResult(command.step, result, command.failureReason);
}

export function toStepResult(step: string, result: CommandResult, failureReason: StepReason): StepResult {
  const reason = reasonOf(result, failureReason);
  return { step, ok: reason === null, reason, durationMs: result.durationMs, outputTail: result.outputTail };
}

export function reasonOf(result: CommandResult, failureReason: StepReason): StepReason | null {
  switch (result.outcome) {
    case 'passed':
      return null;
    case 'failed':
      return failureReason;
    case 'timed-out':
      return 'STEP_TIMEOUT';
    case 'aborted':
      return 'ABORTED';
    case 'spawn-failed':
      return 'COMMAND_FAILED';
    case 'limit-exceeded':
      return 'STEP_LIMIT';
  }
}
