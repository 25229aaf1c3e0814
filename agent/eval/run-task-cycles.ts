// Runs a task's cycles in process on its clone, with the LLM provider eval made for it: the
// same client, memory, caches and sandbox pool as `hephaestus run`, closed on every way out.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { openCache } from '../cache/open-cache.js';
import type { ApiKeys } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { runCycles, type RunSummary } from '../cycle-runner.js';
import type { CycleEventListener } from '../cycle/cycle-events.js';
import { createLlmClient } from '../llm/create-llm-client.js';
import type { LlmProvider } from '../llm/provider-registry.js';
import type { LlmClient, UsageTotals } from '../llm/types.js';
import { AgentMemory } from '../memory/agent-memory.js';
import { acquireRunLock } from '../state/run-lock.js';
import { createSandboxPool } from '../../sandbox/sandbox-pool.js';

export interface TaskCyclesInput {
  repoRoot: string;
  stateDir: string;
  config: Config;
  apiKeys: ApiKeys;
  provider: LlmProvider;
  objective: string | null;
  cycles: number;
  logger: Logger;
  signal: AbortSignal;
  onEvent?: CycleEventListener;
}

export interface TaskCyclesResult {
  summary: RunSummary;
  usage: UsageTotals;
  /** Input tokens of the calls answered from the LLM cache. */
  tokensCached: number;
}

export async function runTaskCycles(input: TaskCyclesInput): Promise<TaskCyclesResult> {
  const { config, logger, signal } = input;
  const lock = await acquireRunLock(input.stateDir, { command: 'eval' });
  const cleanups: Array<() => Promise<unknown>> = [() => lock.release()];
  try {
    const client = await createLlmClient({ config, apiKeys: input.apiKeys, stateDir: input.stateDir, logger, providerInstance: input.provider });
    cleanups.push(() => client.close());
    let tokensCached = 0;
    const llm: LlmClient = {
      ...client,
      provider: client.provider,
      async complete(request) {
        const result = await client.complete(request);
        if (result.cached) tokensCached += result.usage.inputTokens;
        return result;
      },
    };
    const memory = await AgentMemory.open(input.stateDir, { maxEntries: config.memory.maxEntries, logger });
    cleanups.push(() => memory.flush());
    const scanCache = openCache(input.stateDir, 'scan');
    cleanups.push(() => scanCache.disconnect());
    const pool = createSandboxPool({ repoRoot: input.repoRoot, stateDir: input.stateDir, size: config.sandbox.pool, linkPaths: config.sandbox.linkPaths, logger, author: config.git.author });
    cleanups.push(() => pool.close());
    await pool.recover(signal);
    const summary = await runCycles(
      { cycles: input.cycles, ...(input.objective === null ? {} : { objective: input.objective }) },
      {
        repoRoot: input.repoRoot,
        stateDir: input.stateDir,
        config,
        llm,
        memory,
        pool,
        logger,
        signal,
        runId: randomUUID(),
        scanCache,
        ...(input.onEvent ? { onEvent: input.onEvent } : {}),
      },
    );
    return { summary, usage: client.usage(), tokensCached };
  } finally {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    for (const error of errors) logger.error({ err: error }, 'cleanup-failed');
  }
}
