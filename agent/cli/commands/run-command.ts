// `hephaestus run`: opens everything a run needs (lock, config, LLM client, memory, caches,
// sandbox pool), runs the cycles, and closes all of it on every way out, Ctrl-C included.
// Unattended runs (--ci, git.push, --pr) add the remote sync, per-run limits, push and PR.
import { randomUUID } from 'node:crypto';
import { openCache } from '../../cache/open-cache.js';
import { startCiRun, type CiReport } from '../../ci/ci-run.js';
import { unattendedConfig } from '../../ci/unattended-config.js';
import { protectOwnConfig } from '../../config/protect-own-config.js';
import { runCycles, type RunSummary } from '../../cycle-runner.js';
import { resolveBranchBase } from '../../git/promote-commit.js';
import { createLlmClient } from '../../llm/create-llm-client.js';
import type { LlmClient } from '../../llm/types.js';
import { AgentMemory } from '../../memory/agent-memory.js';
import { createSandboxPool } from '../../../sandbox/sandbox-pool.js';
import { openCommandContext, type GlobalOptions } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { createProgressDisplay } from '../progress-display.js';
import { describeModelWork } from '../run-summary.js';
import type { CliRuntime } from '../program.js';

export interface RunCommandOptions extends GlobalOptions {
  cycles?: number;
  continuous?: boolean;
  objective?: string;
  offline?: boolean;
  candidates?: number;
  json?: boolean;
  maxCommits?: number;
  maxMinutes?: number;
  /** Push the evolution branch and open or update a draft pull request (implies pushing). */
  pr?: boolean;
}

export async function runRunCommand(options: RunCommandOptions, runtime: CliRuntime): Promise<number> {
  const context = await openCommandContext({ ...options, command: 'run', lock: true, signal: runtime.signal, onLogger: (handle) => runtime.loggers.add(handle), consoleStream: runtime.terminal.logStream });
  // Unattended runs always get the unattended guards (agent/ci/unattended-config.ts); every run
  // protects the config file it read.
  const location = { repoRoot: context.repository.root, configFile: context.loaded.file };
  const config = options.ci ? unattendedConfig(context.loaded.config, location) : protectOwnConfig(context.loaded.config, location);
  if (options.offline) config.llm.provider = 'offline';
  const candidates = options.candidates ?? 1;
  const cleanups: Array<() => Promise<unknown>> = [];
  let summary: RunSummary | null = null;
  let publishError: unknown = null;
  try {
    // A repository without a commit has nothing to evolve from: say so before any work (exit 3).
    await resolveBranchBase(context.repository.root, config.git.branch, context.signal);
    const ciRun = await startCiRun({
      repoRoot: context.repository.root,
      stateDir: context.stateDir,
      config,
      push: config.git.push || Boolean(options.pr),
      pullRequest: Boolean(options.pr),
      limitRun: Boolean(options.ci),
      logger: context.logger,
      signal: context.signal,
    });
    const llm: LlmClient = await createLlmClient({ config, apiKeys: context.loaded.apiKeys, stateDir: context.stateDir, logger: context.logger });
    cleanups.push(() => llm.close());
    const memory = await AgentMemory.open(context.stateDir, { maxEntries: config.memory.maxEntries, logger: context.logger });
    cleanups.push(() => memory.flush());
    const scanCache = openCache(context.stateDir, 'scan');
    cleanups.push(() => scanCache.disconnect());
    const pool = createSandboxPool({
      repoRoot: context.repository.root,
      stateDir: context.stateDir,
      size: Math.max(config.sandbox.pool, candidates),
      linkPaths: config.sandbox.linkPaths,
      logger: context.logger,
      author: config.git.author,
    });
    cleanups.push(() => pool.close());
    await pool.recover(context.signal);

    const display = options.json || options.ci ? null : createProgressDisplay(runtime.terminal, options.continuous ? null : (options.cycles ?? 1));
    cleanups.push(async () => display?.stop());
    summary = await runCycles(
      {
        cycles: options.continuous ? null : (options.cycles ?? 1),
        ...(options.objective ? { objective: options.objective } : {}),
        candidates,
        ...(options.maxCommits !== undefined ? { maxCommits: options.maxCommits } : {}),
        ...(options.maxMinutes !== undefined ? { maxMinutes: options.maxMinutes } : {}),
        ...(ciRun.afterCycle ? { afterCycle: ciRun.afterCycle } : {}),
      },
      {
        repoRoot: context.repository.root,
        stateDir: context.stateDir,
        config,
        llm,
        memory,
        pool,
        logger: context.logger,
        signal: context.signal,
        runId: randomUUID(),
        scanCache,
        ...(display ? { onEvent: (event) => display.onEvent(event) } : {}),
      },
    );
    display?.stop();
    let report: CiReport | null = null;
    if (!context.signal.aborted) {
      try {
        report = await ciRun.finish(summary.cycles, summary.stopReason);
      } catch (error) {
        publishError = error; // reported after the summary, so CI logs keep both
      }
    }
    const usage = llm.usage();
    const unattended = report ? { remote: report.remote, pullRequest: report.pullRequest, runChange: report.change } : {};
    if (options.json || options.ci) {
      runtime.io.out(JSON.stringify({ cycles: summary.cycles, committed: summary.committed, branch: summary.branch, stopReason: summary.stopReason, llm: usage, ...unattended }));
    } else {
      const rejected = summary.cycles.filter((cycle) => cycle.outcome === 'rejected').length;
      const failed = summary.cycles.filter((cycle) => cycle.outcome === 'failed').length;
      runtime.io.out(
        `${summary.cycles.length} cycle(s): ${summary.committed} committed to ${summary.branch}, ${rejected} rejected, ${failed} failed` +
          `${summary.stopReason ? `; stopped: ${summary.stopReason}` : ''}. ${describeModelWork(summary.cycles, usage, llm.provider)}`,
      );
    }
    // Human-readable notes go to stderr in --ci/--json, so stdout stays one JSON object.
    const note = (text: string) => (options.json || options.ci ? runtime.io.err(text) : runtime.io.out(text));
    if (report?.remote) {
      note(report.remote.pushed ? `Pushed ${report.remote.branch} to ${report.remote.remote} (${report.remote.tip?.slice(0, 12)}).` : `${report.remote.branch}: nothing new to push to ${report.remote.remote}.`);
    }
    if (report?.pullRequest) note(report.pullRequest.message);
  } finally {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    for (const error of errors) context.logger.error({ err: error }, 'cleanup-failed');
    await context.close();
  }
  if (publishError) throw publishError;
  if (runtime.signal.aborted) return EXIT.interrupted;
  const cycles = summary?.cycles ?? [];
  return cycles.length > 0 && cycles.every((cycle) => cycle.outcome === 'failed') ? EXIT.failure : EXIT.ok;
}
