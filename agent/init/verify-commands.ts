// `init` runs every command it proposes once on the untouched base commit, in a sandbox, and
// enables per step the first one that passes there: a command that already fails before any
// change can never tell a good change from a bad one. Every attempt is reported.
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { configSchema, type Config, type ConfigInput } from '../config/schema.js';
import type { SandboxPool } from '../../sandbox/sandbox-pool.js';
import { checkBaseline } from '../../strategies/baseline/check-baseline.js';
import { CHECKED_STEPS, type CheckedStep, type CommandProposal, type Proposals } from './propose-commands.js';

export interface CommandCheck {
  proposal: CommandProposal;
  verdict: 'passed' | 'failed' | 'not-installed' | 'skipped';
  /** In words: why it failed or was skipped, with the end of its output. */
  detail: string;
  durationMs: number;
}

export interface VerifyOptions {
  repoRoot: string;
  stateDir: string;
  baseCommit: string;
  pool: SandboxPool;
  /** The config as it will be written, minus the checked steps' commands. */
  draft: (chosen: Partial<Record<CheckedStep, CommandProposal>>) => ConfigInput;
  logger: Logger;
  signal: AbortSignal;
}

export interface Verification {
  chosen: Partial<Record<CheckedStep, CommandProposal>>;
  checks: CommandCheck[];
}

export async function verifyCommands(proposals: Proposals, options: VerifyOptions): Promise<Verification> {
  const chosen: Partial<Record<CheckedStep, CommandProposal>> = {};
  const checks: CommandCheck[] = [];
  for (const step of CHECKED_STEPS) {
    for (const proposal of proposals.steps[step]) {
      const check = await checkProposal(proposal, options);
      checks.push(check);
      // A command with nothing to check yet (no test files) does not fail on the base either.
      if (check.verdict === 'passed' || check.verdict === 'skipped') {
        chosen[step] = proposal;
        break;
      }
    }
  }
  return { chosen, checks };
}

async function checkProposal(proposal: CommandProposal, options: VerifyOptions): Promise<CommandCheck> {
  if (proposal.requires !== null && !(await exists(path.join(options.repoRoot, proposal.requires)))) {
    return { proposal, verdict: 'not-installed', detail: `${proposal.requires} is missing; install the dependencies, then run init --force`, durationMs: 0 };
  }
  const config: Config = configSchema.parse(options.draft({ [proposal.step]: proposal }));
  const [verdict] = await checkBaseline({
    steps: [proposal.step],
    config,
    stateDir: options.stateDir,
    baseCommit: options.baseCommit,
    refresh: true,
    sandbox: async () => {
      const sandbox = await options.pool.acquire(options.baseCommit, options.signal);
      return { sandbox, release: () => options.pool.release(sandbox) };
    },
    logger: options.logger,
    signal: options.signal,
  });
  if (verdict!.skipped) return { proposal, verdict: 'skipped', detail: verdict!.outputTail, durationMs: verdict!.durationMs };
  if (verdict!.ok) return { proposal, verdict: 'passed', detail: '', durationMs: verdict!.durationMs };
  return { proposal, verdict: 'failed', detail: `${verdict!.reason}: ${lastLines(verdict!.outputTail, 6)}`, durationMs: verdict!.durationMs };
}

/** The last non-empty lines of an output tail, joined for a one-paragraph report. */
export function lastLines(text: string, count: number): string {
  const lines = text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  return lines.slice(-count).join('\n    ').slice(-800);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
