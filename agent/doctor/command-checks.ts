// Checks of what validation runs: each configured command (typecheck, lint, tests) once on the
// base commit in a sandbox, as init does before it enables one (a command that already fails
// there cannot tell a good change from a bad one); and, when the branch is pushed, the remote
// and an authenticated `gh`.
import { execa } from 'execa';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { runGit, type RepositoryLocation } from '../git/git-environment.js';
import { lastLines } from '../init/verify-commands.js';
import { acquireRunLock } from '../state/run-lock.js';
import { stateDirOf } from '../state/state-dir.js';
import { checkBaseline } from '../../strategies/baseline/check-baseline.js';
import { createSandboxPool } from '../../sandbox/sandbox-pool.js';
import { failed, passed, skipped, type CheckResult } from './doctor-check.js';

const CHECKED_STEPS = ['typecheck', 'lint', 'tests'] as const;

export interface CommandCheckContext {
  repository: RepositoryLocation;
  baseCommit: string;
  config: Config;
  logger: Logger;
  signal: AbortSignal;
}

/** One line per configured step; none configured is one failing line (nothing could check a change). */
export async function checkCommands(context: CommandCheckContext): Promise<CheckResult[]> {
  const { config, repository } = context;
  const steps = CHECKED_STEPS.filter((step) => config.validation[step].command !== null);
  if (steps.length === 0) {
    return [failed('commands', 'no typecheck, lint or tests command is configured: only the syntax step would check a change', 'Run "hephaestus init --force" to detect and check the commands, or set validation.tests.command in hephaestus.config.json.')];
  }
  const stateDir = stateDirOf(repository.root);
  const lock = await acquireRunLock(stateDir, { command: 'doctor' }).catch((error: Error) => error);
  if (lock instanceof Error) return steps.map((step) => skipped(`command:${step}`, `not run: ${lock.message}`));
  const pool = createSandboxPool({ repoRoot: repository.root, stateDir, size: 1, linkPaths: config.sandbox.linkPaths, logger: context.logger });
  try {
    await pool.recover(context.signal);
    const verdicts = await checkBaseline({
      steps,
      config,
      stateDir,
      baseCommit: context.baseCommit,
      refresh: true,
      sandbox: async () => {
        const sandbox = await pool.acquire(context.baseCommit, context.signal);
        return { sandbox, release: () => pool.release(sandbox) };
      },
      logger: context.logger,
      signal: context.signal,
    });
    return verdicts.map((verdict) => {
      const id = `command:${verdict.step}`;
      const command = describeCommand(config.validation[verdict.step as (typeof CHECKED_STEPS)[number]].command);
      if (verdict.skipped) return passed(id, `${command}: nothing to check on the base commit (${verdict.outputTail.trim() || 'skipped'})`);
      if (verdict.ok) return passed(id, `${command} passes on the base commit (${verdict.durationMs} ms)`);
      return failed(
        id,
        `${command} fails on the base commit ${context.baseCommit.slice(0, 12)} (${verdict.reason}):\n    ${lastLines(verdict.outputTail, 6)}`,
        `Make it pass on the base commit first (fix the code or the command), or turn the step off (validation.${verdict.step}.command: null); every change would be rejected otherwise.`,
      );
    });
  } finally {
    await pool.close();
    await lock.release();
  }
}

function describeCommand(command: string | readonly string[] | null): string {
  return typeof command === 'string' ? `"${command}"` : `"${(command ?? []).join(' ')}"`;
}

/** With git.push: the remote exists and gh is authenticated (for run --pr). Null when nothing is pushed. */
export async function checkPublishing(repository: RepositoryLocation, config: Config, env: NodeJS.ProcessEnv, gh = 'gh'): Promise<CheckResult[] | null> {
  if (!config.git.push) return null;
  const remote = config.git.remote;
  const url = await runGit(repository.root, ['remote', 'get-url', remote], { allowFailure: true });
  const results: CheckResult[] = [
    url.exitCode === 0 ? passed('remote', `git.push is on; remote "${remote}" is ${url.stdout.trim()}`) : failed('remote', `git.push is on but the repository has no remote "${remote}"`, `Add it (git remote add ${remote} <url>) or set git.remote to an existing one.`),
  ];
  const auth = await execa(gh, ['auth', 'status'], { env: { ...env, GH_PROMPT_DISABLED: '1', NO_COLOR: '1' }, extendEnv: false, reject: false, cwd: repository.root });
  if (auth.exitCode === 0) results.push(passed('gh', 'gh is authenticated (run --pr can open pull requests)'));
  else if ((auth as { code?: string }).code === 'ENOENT') results.push(failed('gh', 'gh (the GitHub CLI) is not installed', 'Install gh (https://cli.github.com) to let run --pr open pull requests, or run without --pr.'));
  else results.push(failed('gh', `gh is not authenticated: ${lastLines(String(auth.stderr), 2)}`, 'Run "gh auth login", or set GH_TOKEN to a token that may push and open pull requests.'));
  return results;
}
