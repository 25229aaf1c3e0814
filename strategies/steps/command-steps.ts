// Steps that run one configured command: typecheck, lint and command:<name>. A command with
// `{files}` gets the files the change writes (narrowed by the step's `files` globs); with none
// to check the step is skipped. typecheck gives tsc incremental build info shared between the
// sandboxes (shared-build-info.ts), so cycles re-check only what changed.
import type { Config } from '../../agent/config/schema.js';
import { FILES_PLACEHOLDER, hasPlaceholder, parseCommand, substitutePlaceholders } from '../commands/parse-command.js';
import { runStepCommand } from './run-step-command.js';
import { skippedStep, type Step, type StepContext, type StepReason, type StepResult } from './step.js';
import { filesForStep } from './step-files.js';
import { sandboxBuildInfo, seedBuildInfo, shareBuildInfo } from './shared-build-info.js';

type StepCommandSettings = Config['validation']['lint'];

export const typecheckStep: Step = {
  name: 'typecheck',
  async run(context) {
    const settings = context.config.validation.typecheck;
    let incremental = false;
    const result = await runConfiguredCommand('typecheck', 'validation.typecheck', settings, 'TYPECHECK_FAILED', context, (argv) => {
      const adjusted = withIncrementalBuildInfo(argv, context);
      incremental = adjusted !== argv;
      return adjusted;
    }, async () => {
      if (incremental) await seedBuildInfo(context.sandbox);
    });
    if (incremental && result.reason !== 'ABORTED' && !result.skipped) await shareBuildInfo(context.sandbox);
    return result;
  },
};

export const lintStep: Step = {
  name: 'lint',
  async run(context) {
    return runConfiguredCommand('lint', 'validation.lint', context.config.validation.lint, 'LINT_FAILED', context);
  },
};

/** The `command:<name>` step for `validation.commands.<name>`. */
export function namedCommandStep(name: string): Step {
  const step = `command:${name}`;
  return {
    name: step,
    async run(context) {
      const definition = context.config.validation.commands[name];
      if (!definition) return skippedStep(step, `no command configured (validation.commands.${name}.command)`);
      return runConfiguredCommand(step, `validation.commands.${name}`, definition, 'COMMAND_FAILED', context);
    },
  };
}

async function runConfiguredCommand(
  step: string,
  key: string,
  settings: StepCommandSettings,
  failureReason: StepReason,
  context: StepContext,
  adjust: (argv: string[]) => string[] = (argv) => argv,
  beforeRun: () => Promise<void> = async () => undefined,
): Promise<StepResult> {
  if (settings.command === null) return skippedStep(step, `no command configured (${key}.command)`);
  let argv = parseCommand(settings.command);
  if (hasPlaceholder(argv, FILES_PLACEHOLDER)) {
    const files = await filesForStep(settings.files, context);
    if (files.length === 0) {
      const narrowed = settings.files === null ? '' : ` matching ${key}.files (${settings.files.join(', ')})`;
      return skippedStep(step, `no file to check: the change writes no file${narrowed}`);
    }
    argv = substitutePlaceholders(argv, { files });
  }
  const finalArgv = adjust(argv);
  await beforeRun();
  return runStepCommand({ step, argv: finalArgv, timeoutMs: settings.timeoutMs, failureReason }, context);
}

/** Adds `--incremental --tsBuildInfoFile <sandbox>/.hephaestus/tsbuildinfo` to a plain `tsc` run. */
export function withIncrementalBuildInfo(argv: string[], context: Pick<StepContext, 'sandbox'>): string[] {
  // The same array back means: not a plain tsc run, nothing added.
  const tscIndex = argv.findIndex((argument) => /(^|[\\/])tsc(\.cmd|\.js)?$/.test(argument));
  if (tscIndex < 0) return argv;
  const tscArguments = argv.slice(tscIndex + 1);
  const alreadyIncremental = tscArguments.some((argument) => /^--(incremental|tsBuildInfoFile|build)$|^-[bi]$/.test(argument));
  if (alreadyIncremental) return argv;
  return [...argv, '--incremental', '--tsBuildInfoFile', sandboxBuildInfo(context.sandbox)];
}
