// `hephaestus run`: opens everything a run needs (lock, config, LLM client, memory, caches,
// sandbox pool), runs the cycles, and closes all of it on every way out, Ctrl-C included.
import { randomUUID } from 'node:crypto';
import { openCache } from '../../cache/open-cache.js';
import { runCycles, type RunSummary } from '../../cycle-runner.js';
import { createLlmClient } from '../../llm/create-llm-client.js';
import type { LlmClient } from '../../llm/types.js';
import { AgentMemory } from '../../memory/agent-memory.js';
import { createSandboxPool } from '../../../sandbox/sandbox-pool.js';
import { openCommandContext, type GlobalOptions } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { createProgressDisplay } from '../progress-display.js';
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
}

export async function runRunCommand(options: RunCommandOptions, runtime: CliRuntime): Promise<number> {
  const context = await openCommandContext({ ...options, command: 'run', lock: true, signal: runtime.signal, onLogger: (handle) => runtime.loggers.add(handle) });
  const { config } = context.loaded;
  if (options.offline) config.llm.provider = 'offline';
  const candidates = options.candidates ?? 1;
  const cleanups: Array<() => Promise<unknown>> = [];
  let summary: RunSummary | null = null;
  try {
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

    const display = options.json || options.ci ? null : createProgressDisplay(process.stderr, options.continuous ? null : (options.cycles ?? 1));
    cleanups.push(async () => display?.stop());
    summary = await runCycles(
      {
        cycles: options.continuous ? null : (options.cycles ?? 1),
        ...(options.objective ? { objective: options.objective } : {}),
        candidates,
        ...(options.maxCommits !== undefined ? { maxCommits: options.maxCommits } : {}),
        ...(options.maxMinutes !== undefined ? { maxMinutes: options.maxMinutes } : {}),
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
    const usage = llm.usage();
    if (options.json || options.ci) {
      runtime.io.out(JSON.stringify({ cycles: summary.cycles, committed: summary.committed, branch: summary.branch, stopReason: summary.stopReason, llm: usage }));
    } else {
      const rejected = summary.cycles.filter((cycle) => cycle.outcome === 'rejected').length;
      const failed = summary.cycles.filter((cycle) => cycle.outcome === 'failed').length;
      runtime.io.out(
        `${summary.cycles.length} cycle(s): ${summary.committed} committed to ${summary.branch}, ${rejected} rejected, ${failed} failed` +
          `${summary.stopReason ? `; stopped: ${summary.stopReason}` : ''}. LLM: ${usage.calls} call(s), ${usage.cacheHits} cache hit(s), ${usage.tokensIn + usage.tokensOut} tokens.`,
      );
    }
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
  if (runtime.signal.aborted) return EXIT.interrupted;
  const cycles = summary?.cycles ?? [];
  return cycles.length > 0 && cycles.every((cycle) => cycle.outcome === 'failed') ? EXIT.failure : EXIT.ok;
}
