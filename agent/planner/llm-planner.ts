// The LLM planner: objectives from the main model (with the metrics heuristic as fallback) and
// patch plans from the Architect, both over one LlmClient. It can carry out any objective and
// may propose the next one while a cycle validates.
import { runArchitect } from '../architect/run-architect.js';
import type { Config } from '../config/schema.js';
import { generateObjective } from '../objectives/generate-objective.js';
import { summarizeMetrics } from '../scanner/summarize-metrics.js';
import type { LlmClient } from '../llm/types.js';
import type { Planner } from './planner.js';

export interface LlmPlannerOptions {
  config: Config;
  /** The repository, for prompt overrides (`prompts.dir`). */
  repoRoot: string;
  llm: LlmClient;
}

export function createLlmPlanner(options: LlmPlannerOptions): Planner {
  const { config, llm } = options;
  return {
    name: `llm:${llm.provider}`,
    capabilities: { prefetchObjectives: true, arbitraryObjectives: true },
    llm,
    async proposeObjective(input, context) {
      const objective = await generateObjective(
        { metrics: summarizeMetrics(input.scan), manifest: input.manifest, memory: input.memory, attempting: input.attempting ?? [] },
        { config, repoRoot: options.repoRoot, llm, logger: context.logger, signal: context.signal, meter: context.meter },
      );
      return objective ? { text: objective.text, rationale: objective.rationale, files: objective.files, source: objective.source } : null;
    },
    planPatch(input, context) {
      return runArchitect(
        { objective: input.objective, scan: input.scan, manifest: input.manifest, lessons: input.lessons },
        {
          repoRoot: input.workspace,
          config,
          llm,
          logger: context.logger,
          signal: context.signal,
          meter: context.meter,
          precheck: (text) => context.precheck(text),
          ...(input.temperature === undefined ? {} : { temperature: input.temperature }),
        },
      );
    },
    close: () => llm.close(),
  };
}
