// The unattended parts of `hephaestus run`, around the cycles: continue from the remote's
// evolution branch before them, enforce the per-run change limits between them, and push the
// branch and open or update the draft pull request after them.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { strategiesOf, type Config } from '../config/schema.js';
import { resolveBranchBase } from '../git/promote-commit.js';
import type { CycleRecord } from '../objectives/evolution-log.js';
import { compareWithBase } from './branch-commits.js';
import { publishPullRequest, type PullRequestOutcome } from './publish-pull-request.js';
import { renderPullRequestBody, renderPullRequestTitle } from './render-pull-request.js';
import { measureRunChange, remainingGuards, runLimitReached, type RunChange, type RunChangeLimits } from './run-change-limits.js';
import { pushToRemote, syncFromRemote, type PushResult, type RemoteSync } from './sync-remote.js';

export const PULL_REQUEST_BODY_FILE = 'pull-request.md';

export interface CiRunOptions {
  repoRoot: string;
  stateDir: string;
  /** The effective config of the run; with `limitRun` its size guards are narrowed between cycles. */
  config: Config;
  /** Fetch the branch before and push it after the cycles (git.push or --pr). */
  push: boolean;
  /** Open or update a draft pull request after pushing. */
  pullRequest: boolean;
  /** Enforce ci.maxFilesPerRun / ci.maxChangedLinesPerRun (unattended runs). */
  limitRun: boolean;
  logger: Logger;
  signal: AbortSignal;
  /** The gh executable (default "gh" on PATH). */
  gh?: string;
}

export interface CiReport {
  remote: (Pick<RemoteSync, 'remote' | 'branch' | 'action'> & Pick<PushResult, 'pushed' | 'tip'>) | null;
  pullRequest: PullRequestOutcome | { status: 'nothing-to-propose'; message: string } | null;
  change: RunChange | null;
}

export interface CiRun {
  sync: RemoteSync | null;
  /** For RunCyclesOptions.afterCycle; undefined when the run has no per-run limits. */
  afterCycle: ((record: CycleRecord) => Promise<string | null>) | undefined;
  /** Pushes and publishes; throws RemoteMovedError when the remote branch was moved meanwhile. */
  finish(cycles: readonly CycleRecord[], stopReason: string | null): Promise<CiReport>;
}

export async function startCiRun(options: CiRunOptions): Promise<CiRun> {
  const { repoRoot, config, logger, signal } = options;
  const { branch, remote } = config.git;
  const sync = options.push ? await syncFromRemote({ repoRoot, remote, branch, logger, signal }) : null;
  // Where the run starts; the per-run limits measure the change from here.
  const runBase = options.limitRun ? (await resolveBranchBase(repoRoot, branch, signal)).commit : null;
  const limits: RunChangeLimits = { maxFiles: config.ci.maxFilesPerRun, maxChangedLines: config.ci.maxChangedLinesPerRun };
  const cycleGuards = { ...config.guards };
  let change: RunChange | null = null;

  const afterCycle = runBase !== null
    ? async (record: CycleRecord): Promise<string | null> => {
        if (record.outcome !== 'committed' || record.commit === null) return null;
        const tip = (await resolveBranchBase(repoRoot, branch, signal)).commit;
        change = await measureRunChange(repoRoot, runBase, tip, [config.manifest.path], signal);
        // The runner reads the guards from this config each cycle: narrowing them keeps the
        // next cycle inside what the run has left.
        Object.assign(config.guards, remainingGuards(cycleGuards, change, limits));
        const reached = runLimitReached(change, limits);
        if (reached) logger.info({ event: 'run-limit-reached', change, limits }, reached);
        return reached;
      }
    : undefined;

  return {
    sync,
    afterCycle,
    async finish(cycles, stopReason) {
      if (!sync) return { remote: null, pullRequest: null, change };
      const pushed = await pushToRemote({ repoRoot, remote, branch, logger, signal, expectedRemoteTip: sync.remoteTip });
      const report: CiReport = { remote: { remote, branch, action: sync.action, pushed: pushed.pushed, tip: pushed.tip }, pullRequest: null, change };
      if (!options.pullRequest) return report;
      const comparison = await compareWithBase(repoRoot, remote, branch, signal);
      if (pushed.tip === null || comparison.commits.length === 0) {
        return { ...report, pullRequest: { status: 'nothing-to-propose', message: `${branch} has no commits to propose yet; no pull request was opened.` } };
      }
      const content = { branch, base: comparison.base, cycles, commits: comparison.commits, strategies: strategiesOf(config), stopReason };
      const bodyFile = path.join(options.stateDir, PULL_REQUEST_BODY_FILE);
      await writeFile(bodyFile, renderPullRequestBody(content));
      const relative = path.relative(repoRoot, bodyFile).split(path.sep).join('/');
      const pullRequest = await publishPullRequest({
        repoRoot,
        remote,
        branch,
        base: comparison.base,
        title: renderPullRequestTitle(content),
        bodyFile,
        bodyFileShown: relative.startsWith('../') ? bodyFile : relative,
        maxOpenPrs: config.ci.maxOpenPrs,
        logger,
        signal,
        ...(options.gh ? { gh: options.gh } : {}),
      });
      return { ...report, pullRequest };
    },
  };
}
