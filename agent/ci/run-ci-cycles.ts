// An unattended run through the library API (what `hephaestus run --ci`, `--pr` and git.push do):
// continue from the remote's evolution branch, run the cycles under the per-run change limits,
// then push the branch and open or update the draft pull request. The agent must have been
// created with the unattended guards (`unattendedConfig`) when the run is limited.
import type { Agent } from '../create-agent.js';
import { ConfigError } from '../core/errors.js';
import type { RunCyclesOptions, RunSummary } from '../cycle/run-cycles.js';
import { startCiRun, type CiReport } from './ci-run.js';
import { UNATTENDED_PROTECTED_PATHS } from './unattended-config.js';

export interface CiCyclesOptions extends Partial<Omit<RunCyclesOptions, 'afterCycle'>> {
  /** Fetch the evolution branch before the cycles and push it after (default: git.push, or when `pullRequest` is set). */
  push?: boolean;
  /** Open or update a draft pull request after pushing (implies `push`). */
  pullRequest?: boolean;
  /** Enforce ci.maxFilesPerRun / ci.maxChangedLinesPerRun (default true: what `--ci` does). */
  limitRun?: boolean;
  /** The gh executable (default "gh" on PATH). */
  gh?: string;
}

export interface CiSummary extends RunSummary {
  remote: CiReport['remote'];
  pullRequest: CiReport['pullRequest'];
  /** The net change of the run, as the per-run limits measured it; null when nothing was measured. */
  runChange: CiReport['change'];
  /**
   * Why pushing or publishing failed after the cycles (`REMOTE_MOVED`, `PULL_REQUEST_FAILED`, a
   * git error), or null. The cycles' records are kept either way; the remote is left as it was.
   */
  publishError: Error | null;
}

/**
 * Runs the cycles of an unattended run. Failures before any cycle (a diverged branch, a branch
 * outside `hephaestus/`, an unknown remote) throw; a failed push after them is `publishError`.
 */
export async function runCiCycles(agent: Agent, options: CiCyclesOptions = {}): Promise<CiSummary> {
  const { push, pullRequest = false, limitRun = true, gh, ...cycleOptions } = options;
  if (limitRun) checkUnattendedGuards(agent);
  // A dry run leaves the remote alone too.
  const dryRun = cycleOptions.dryRun ?? false;
  const ciRun = await startCiRun({
    repoRoot: agent.repoRoot,
    stateDir: agent.stateDir,
    config: agent.config,
    push: !dryRun && (push ?? (agent.config.git.push || pullRequest)),
    pullRequest: !dryRun && pullRequest,
    limitRun,
    redact: agent.redactor.redact,
    logger: agent.logger,
    signal: agent.signal,
    ...(gh ? { gh } : {}),
  });
  const summary = await agent.runCycles({ ...cycleOptions, ...(ciRun.afterCycle ? { afterCycle: ciRun.afterCycle } : {}) });
  let report: CiReport = { remote: null, pullRequest: null, change: null };
  let publishError: CiSummary['publishError'] = null;
  if (!agent.signal.aborted) {
    try {
      report = await ciRun.finish(summary.cycles, summary.stopReason);
    } catch (error) {
      publishError = error instanceof Error ? error : new Error(String(error));
    }
  }
  return { ...summary, remote: report.remote, pullRequest: report.pullRequest, runChange: ciRun.change(), publishError };
}

/** A limited run's agent must carry the unattended guards, or a cycle could edit the workflows. */
function checkUnattendedGuards(agent: Agent): void {
  const missing = UNATTENDED_PROTECTED_PATHS.filter((glob) => !agent.config.guards.protectedPaths.includes(glob));
  if (missing.length === 0) return;
  throw new ConfigError(
    `runCiCycles: the agent's config lacks the unattended guards (${missing.join(', ')} are not in guards.protectedPaths). ` +
      'Create the agent with config: unattendedConfig(config, { repoRoot, configFile }), or pass limitRun: false.',
  );
}
