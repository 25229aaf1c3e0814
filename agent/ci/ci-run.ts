// The unattended parts of `hephaestus run`, around the cycles: continue from the remote's
// evolution branch before them, enforce the per-run change limits between them, and push the
// branch and open or update the draft pull request after them.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { strategiesOf, type Config } from '../config/schema.js';
import { resolveBranchBase } from '../git/resolve-branch-base.js';
import type { CycleRecord } from '../cycle/cycle-record.js';
import type { AfterCycle } from '../cycle/run-cycles.js';
import { compareWithBase } from './branch-commits.js';
import { publishPullRequest, type PullRequestOutcome } from './publish-pull-request.js';
import { renderPullRequestBody, renderPullRequestTitle } from './render-pull-request.js';
import { measureRunChange, remainingGuards, runLimitReached, type RunChange, type RunChangeLimits } from './run-change-limits.js';
import { pushToRemote, syncFromRemote, type PushResult, type RemoteSync } from './sync-remote.js';

export const PULL_REQUEST_BODY_FILE = 'pull-request.md';

export interface CiRunOptions {
  repoRoot: string;
  stateDir: string;
  /** The effective config of the run; with `limitRun` the next cycle's size guards are narrowed from it. */
  config: Config;
  /** Fetch the branch before and push it after the cycles (git.push or --pr). */
  push: boolean;
  /** Open or update a draft pull request after pushing. */
  pullRequest: boolean;
  /** Enforce ci.maxFilesPerRun / ci.maxChangedLinesPerRun (unattended runs). */
  limitRun: boolean;
  logger: Logger;
  signal: AbortSignal;
  /** The run's secret redaction, applied to the pull request's title and body. */
  redact?: (text: string) => string;
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
  afterCycle: ((record: CycleRecord) => Promise<AfterCycle>) | undefined;
  /** The net change of the run so far, as the per-run limits measured it (null before the first commit or without limits). */
  change(): RunChange | null;
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
  let change: RunChange | null = null;

  const afterCycle = runBase !== null
    ? async (record: CycleRecord): Promise<AfterCycle> => {
        if (record.outcome !== 'committed' || record.commit === null) return { stop: null };
        const tip = (await resolveBranchBase(repoRoot, branch, signal)).commit;
        change = await measureRunChange(repoRoot, runBase, tip, [config.manifest.path], signal);
        const reached = runLimitReached(change, limits);
        if (reached) logger.info({ event: 'run-limit-reached', change, limits }, reached);
        // Narrowed guards keep the next cycle inside what the run has left.
        return { stop: reached, guards: remainingGuards(config.guards, change, limits) };
      }
    : undefined;

  return {
    sync,
    afterCycle,
    change: () => change,
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
      const redact = options.redact ?? ((text: string) => text);
      await writeFile(bodyFile, redact(renderPullRequestBody(content)));
      const relative = path.relative(repoRoot, bodyFile).split(path.sep).join('/');
      const pullRequest = await publishPullRequest({
        repoRoot,
        remote,
        branch,
        base: comparison.base,
        title: redact(renderPullRequestTitle(content)),
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
