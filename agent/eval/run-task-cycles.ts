// Runs a task's cycles in process on its clone through the library API (createAgent): the same
// planner, memory, caches and sandbox pool as `hephaestus run`, closed on every way out. With a
// provider (replay, or a model under evaluation) the LLM planner runs over it; without one the
// configured planner (the offline engine) does.
import type { Logger } from 'pino';
import type { ApiKeys } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { createAgent } from '../create-agent.js';
import type { CycleEventListener } from '../cycle/cycle-events.js';
import type { RunSummary } from '../cycle/run-cycles.js';
import { createLlmClient } from '../llm/create-llm-client.js';
import type { LlmProvider } from '../llm/provider.js';
import type { LlmClient, UsageTotals } from '../llm/types.js';
import { createLlmPlanner } from '../planner/llm-planner.js';
import type { Planner } from '../planner/planner.js';

export interface TaskCyclesInput {
  repoRoot: string;
  stateDir: string;
  config: Config;
  apiKeys: ApiKeys;
  /** null: the planner the config names (the offline engine). */
  provider: LlmProvider | null;
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
  let tokensCached = 0;
  let planner: Planner | undefined;
  if (input.provider) {
    const client = await createLlmClient({ config, apiKeys: input.apiKeys, stateDir: input.stateDir, logger, provider: input.provider });
    const llm: LlmClient = {
      ...client,
      provider: client.provider,
      async complete(request) {
        const result = await client.complete(request);
        if (result.cached) tokensCached += result.usage.inputTokens;
        return result;
      },
    };
    planner = createLlmPlanner({ config, repoRoot: input.repoRoot, llm });
  }
  let agent;
  try {
    agent = await createAgent({
      repoRoot: input.repoRoot,
      config,
      apiKeys: input.apiKeys,
      logger,
      signal,
      command: 'eval',
      ...(planner ? { planner } : {}),
      ...(input.onEvent ? { onEvent: input.onEvent } : {}),
    });
  } catch (error) {
    await planner?.close();
    throw error;
  }
  try {
    const summary = await agent.runCycles({ cycles: input.cycles, ...(input.objective === null ? {} : { objective: input.objective }) });
    return { summary, usage: agent.usage(), tokensCached };
  } finally {
    await agent.close();
  }
}
