// The offline planner: the offline engine behind the Planner seam. It proposes the TypeScript
// language service's fixes as objectives and plans exactly those, read from the workspace (the
// sandbox at the cycle's base commit); no model, no network, no key. It declares that it cannot
// carry out other objectives and must not look ahead while a cycle changes the tree.
import type { Logger } from 'pino';
import { acceptedPlan } from '../architect/run-architect.js';
import type { Config } from '../config/schema.js';
import type { Planner } from '../planner/planner.js';
import { OfflineEngine } from './offline-engine.js';

export interface OfflinePlannerOptions {
  config: Config;
  logger: Logger;
}

export function createOfflinePlanner(options: OfflinePlannerOptions): Planner {
  const engine = new OfflineEngine({ config: options.config, logger: options.logger.child({ planner: 'offline' }) });
  return {
    name: 'offline',
    capabilities: { prefetchObjectives: false, arbitraryObjectives: false },
    llm: null,
    async proposeObjective(input, context) {
      const skip = [...new Set(input.memory.snapshot.failed.map((entry) => entry.objective))];
      const reply = await engine.proposeObjective(input.workspace, skip, context.signal);
      if (reply.objective === null) {
        context.logger.info({ rationale: reply.rationale }, 'objective-nothing-to-do');
        return { text: null, reason: reply.rationale };
      }
      return { text: reply.objective, rationale: reply.rationale, files: reply.files ?? [], source: 'offline' };
    },
    async planPatch(input, context) {
      const plan = await engine.planFor(input.objective.text, input.workspace, context.signal);
      const checked = await context.precheck(JSON.stringify(plan));
      if (!checked.ok) {
        // The engine pre-checks its own plans; a refusal here means the tree changed under it.
        const codes = [...new Set(checked.problems.map((problem) => problem.code))].join(', ');
        return { ok: false, reason: 'ARCHITECT_FAILED', detail: `the offline engine's plan was refused by the pre-check (${codes})`, problemsByAttempt: [checked.problems], attempts: 1, reviews: [], contextFiles: [] };
      }
      return acceptedPlan(checked, { attempts: 1, problemsByAttempt: [[]], reviews: [], contextFiles: [] });
    },
    close: () => engine.close(),
  };
}
