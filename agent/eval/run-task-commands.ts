// Runs a task's argv commands (setup, check) in its clone, one after the other, without a
// shell; the first failure stops the list. Keys and tokens of this process are not passed on.
// Commands that run model-written code (the suite and the hidden check at the tip) run in a jail.
import type { JailSettings } from '../../strategies/commands/jail-settings.js';
import { commandEnvironment, runCommand, type CommandOutcome } from '../../strategies/commands/run-command.js';
import { runJailed } from '../../strategies/commands/run-jailed.js';

export interface TaskCommandResult {
  argv: string[];
  outcome: CommandOutcome;
  exitCode: number | null;
  durationMs: number;
  /** The last lines of combined stdout and stderr. */
  outputTail: string;
}

export interface TaskCommandsResult {
  passed: boolean;
  results: TaskCommandResult[];
  /** The first command that did not pass; null when all passed. */
  failure: TaskCommandResult | null;
}

export interface TaskCommandOptions {
  cwd: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** The jail to run in; absent for the task's own trusted commands (setup), which run as this user. */
  jail?: JailSettings;
}

export async function runTaskCommands(commands: readonly (readonly string[])[], options: TaskCommandOptions): Promise<TaskCommandsResult> {
  const results: TaskCommandResult[] = [];
  for (const argv of commands) {
    const run = { cwd: options.cwd, timeoutMs: options.timeoutMs, signal: options.signal };
    const result = options.jail ? await runJailed(argv, { ...run, jail: options.jail }) : await runCommand(argv, { ...run, env: taskEnvironment() });
    const entry: TaskCommandResult = { argv: [...argv], outcome: result.outcome, exitCode: result.exitCode, durationMs: result.durationMs, outputTail: result.outputTail };
    results.push(entry);
    if (result.outcome !== 'passed') return { passed: false, results, failure: entry };
  }
  return { passed: true, results, failure: null };
}

/** This process's environment without provider keys, tokens or Hephaestus overrides. */
export function taskEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const environment = commandEnvironment(base);
  for (const name of Object.keys(environment)) {
    if (/(_API_KEY|_TOKEN|_SECRET)$/i.test(name) || name.startsWith('HEPHAESTUS_')) delete environment[name];
  }
  return environment;
}

/** The last `count` lines of an output tail, for a failure report. */
export function lastLines(text: string, count = 12): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  return lines.slice(-count).join('\n');
}
