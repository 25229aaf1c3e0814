// The registry of validation steps: built-in steps by name, plus `command:<name>` for every
// command under validation.commands.
import type { Config } from '../agent/config/schema.js';
import { lintStep, namedCommandStep, typecheckStep } from './steps/command-steps.js';
import type { Step } from './steps/step.js';
import { syntaxStep } from './steps/syntax-step.js';
import { affectedTestsStep, testsStep } from './steps/tests-step.js';
import { UnknownStepError } from './strategy-errors.js';

const BUILT_IN_STEPS: ReadonlyMap<string, Step> = new Map([syntaxStep, typecheckStep, lintStep, testsStep, affectedTestsStep].map((step) => [step.name, step]));

const COMMAND_PREFIX = 'command:';

/** The step named `name`; throws UnknownStepError naming what exists. */
export function createStep(name: string, config: Config): Step {
  const builtIn = BUILT_IN_STEPS.get(name);
  if (builtIn) return builtIn;
  const commandName = name.startsWith(COMMAND_PREFIX) ? name.slice(COMMAND_PREFIX.length) : null;
  if (commandName !== null && commandName in config.validation.commands) return namedCommandStep(commandName);
  const known = [...BUILT_IN_STEPS.keys(), ...Object.keys(config.validation.commands).map((command) => `${COMMAND_PREFIX}${command}`)];
  throw new UnknownStepError(`unknown step "${name}"; known steps: ${known.join(', ')}.`, { details: { step: name } });
}
