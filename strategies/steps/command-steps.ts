// Steps that run one configured command: typecheck, lint and command:<name>.
// typecheck keeps tsc's incremental build info in `.hephaestus/tsbuildinfo/<sandbox>` so
// repeated cycles re-check only what changed.
import path from 'node:path';
import { parseCommand } from '../commands/parse-command.js';
import { runStepCommand } from './run-step-command.js';
import { skippedStep, type Step, type StepContext } from './step.js';

export const typecheckStep: Step = {
  name: 'typecheck',
  async run(context) {
    const { command, timeoutMs } = context.config.validation.typecheck;
    if (command === null) return skippedStep('typecheck', 'no command configured (validation.typecheck.command)');
    const argv = withIncrementalBuildInfo(parseCommand(command), context);
    return runStepCommand({ step: 'typecheck', argv, timeoutMs, failureReason: 'TYPECHECK_FAILED' }, context);
  },
};

export const lintStep: Step = {
  name: 'lint',
  async run(context) {
    const { command, timeoutMs } = context.config.validation.lint;
    if (command === null) return skippedStep('lint', 'no command configured (validation.lint.command)');
    return runStepCommand({ step: 'lint', argv: parseCommand(command), timeoutMs, failureReason: 'LINT_FAILED' }, context);
  },
};

/** The `command:<name>` step for `validation.commands.<name>`. */
export function namedCommandStep(name: string): Step {
  const step = `command:${name}`;
  return {
    name: step,
    async run(context) {
      const definition = context.config.validation.commands[name];
      if (!definition || definition.command === null) return skippedStep(step, `no command configured (validation.commands.${name}.command)`);
      return runStepCommand({ step, argv: parseCommand(definition.command), timeoutMs: definition.timeoutMs, failureReason: 'COMMAND_FAILED' }, context);
    },
  };
}

/** Adds `--incremental --tsBuildInfoFile <state>/tsbuildinfo/<id>` to a plain `tsc` run. */
export function withIncrementalBuildInfo(argv: string[], context: Pick<StepContext, 'sandbox'>): string[] {
  const tscIndex = argv.findIndex((argument) => /(^|[\\/])tsc(\.cmd|\.js)?$/.test(argument));
  if (tscIndex < 0) return argv;
  const tscArguments = argv.slice(tscIndex + 1);
  const alreadyIncremental = tscArguments.some((argument) => /^--(incremental|tsBuildInfoFile|build)$|^-[bi]$/.test(argument));
  if (alreadyIncremental) return argv;
  const buildInfo = path.join(context.sandbox.stateDir, 'tsbuildinfo', String(context.sandbox.id));
  return [...argv, '--incremental', '--tsBuildInfoFile', buildInfo];
}
