// Runs a configured command for a step in the sandbox and maps the outcome to a step result:
// exit 0 → ok; non-zero → the step's failure reason; timeout → STEP_TIMEOUT; abort → ABORTED.
import { withNetworkMode } from '../commands/network-isolation.js';
import { commandEnvironment, runCommand, type CommandResult } from '../commands/run-command.js';
import { withSandboxEnvironment } from '../../sandbox/sandbox-environment.js';
import type { StepContext, StepReason, StepResult } from './step.js';

export interface StepCommand {
  step: string;
  argv: readonly string[];
  timeoutMs: number;
  /** Reason when the command exits non-zero. */
  failureReason: StepReason;
}

/** Runs `argv` in the sandbox with the configured network mode. */
export async function runInSandbox(argv: readonly string[], context: StepContext, timeoutMs: number, signal: AbortSignal = context.signal): Promise<CommandResult> {
  const finalArgv = await withNetworkMode(argv, context.config.sandbox.network, context.logger);
  // The sandbox's own variables (PYTHONPATH first with its source roots) pass through to the command.
  const env = withSandboxEnvironment(commandEnvironment(), context.sandbox.environment ?? {});
  return runCommand(finalArgv, { cwd: context.sandbox.root, timeoutMs, signal, env });
}

export async function runStepCommand(command: StepCommand, context: StepContext): Promise<StepResult> {
  context.logger.debug({ event: 'step-command-start', step: command.step, argv: command.argv }, `${command.step}: ${command.argv.join(' ')}`);
  const result = await runInSandbox(command.argv, context, command.timeoutMs);
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
  }
}
