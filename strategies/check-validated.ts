// A change to code must be checked by something more than the syntax parse: when every step
// that could check it was skipped (no typecheck, lint or test command, no test files), the
// strategy fails with NOT_VALIDATED, unless validation.allowUnvalidated says that is fine.
import type { Config } from '../agent/config/schema.js';
import type { ChangeSet } from '../sandbox/sandbox.js';
import type { StepResult } from './steps/step.js';

/** Source files of programming languages; documentation and data files are checked by parsing. */
const CODE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py|pyi|rb|go|rs|java|kt|kts|scala|c|cc|cpp|cxx|h|hpp|cs|php|swift|m|mm|lua|pl|sh|bash|zsh|ex|exs|erl|hs|ml|clj|dart|r|jl|vue|svelte)$/i;

function hasCommand(step: string, config: Pick<Config, 'validation'>): boolean {
  const { validation } = config;
  if (step === 'tests' || step === 'tests:affected') return validation.tests.command !== null;
  if (step === 'typecheck' || step === 'lint') return validation[step].command !== null;
  if (step.startsWith('command:')) return validation.commands[step.slice('command:'.length)]?.command != null;
  return false;
}

/** The steps that actually ran (not skipped), in order: what the record and the commit trailer list. */
export function stepsThatRan(results: readonly StepResult[]): string[] {
  // The NOT_VALIDATED verdict is a result too, but no step: it says that nothing else ran.
  return results.filter((result) => !result.skipped && result.reason !== 'NOT_VALIDATED').map((result) => result.step);
}

/** A failing result when code changed and only the syntax step (or nothing) checked it; null otherwise. */
export function unvalidatedChange(changes: ChangeSet, results: readonly StepResult[], config: Pick<Config, 'validation'>, sanity: string | null = null): StepResult | null {
  if (config.validation.allowUnvalidated) return null;
  // A sanity step on the new tip (rolled back when it fails) that has a command checks the change too.
  if (sanity !== null && hasCommand(sanity, config)) return null;
  const code = [...changes.entries()].filter(([file, content]) => content !== null && CODE_FILE.test(file)).map(([file]) => file);
  if (code.length === 0) return null;
  const checking = results.filter((result) => result.step !== 'syntax' && !result.skipped);
  if (checking.length > 0) return null;
  const skipped = results.filter((result) => result.skipped).map((result) => `${result.step} (${result.outputTail.trim() || 'skipped'})`);
  const why = skipped.length > 0 ? `every step that could check it was skipped: ${skipped.join('; ')}` : 'the strategy has no step that runs code (only syntax)';
  return {
    step: 'validation',
    ok: false,
    reason: 'NOT_VALIDATED',
    durationMs: 0,
    outputTail: `${code.join(', ')} changed, but nothing but the syntax parse checked ${code.length === 1 ? 'it' : 'them'}: ${why}. Configure validation.typecheck, validation.lint or validation.tests (hephaestus init proposes them), or set validation.allowUnvalidated to true to commit such changes anyway.`,
  };
}
