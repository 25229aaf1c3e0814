// The `offline` LLM provider: the offline engine behind the same contract as a model. It answers
// by purpose (objective, architect, and the light roles) with the replies of DESIGN.md §3, in
// process, with no network and no key; the client skips the cache, limiter and retries for it.
import { templateCommitMessage } from '../git/commit-message.js';
import { HephaestusError } from '../errors.js';
import type { LlmProvider, ProviderContext, ProviderRequest } from '../llm/provider-registry.js';
import { OfflineEngine } from './offline-engine.js';

export const OFFLINE_MODEL = 'offline-engine';

export class OfflineRequestError extends HephaestusError {
  constructor(message: string) {
    super('OFFLINE_REQUEST_INVALID', message);
  }
}

export function createOfflineProvider(context: ProviderContext): LlmProvider {
  const engine = new OfflineEngine({ config: context.config, logger: context.logger.child({ provider: 'offline' }) });
  const workspaceOf = (request: ProviderRequest): string => {
    if (!request.workspace) throw new OfflineRequestError(`the offline engine needs the workspace to read (CompletionRequest.workspace) for purpose "${request.purpose}"`);
    return request.workspace;
  };

  async function answer(request: ProviderRequest): Promise<string> {
    switch (request.purpose) {
      case 'objective':
        return JSON.stringify(await engine.proposeObjective(workspaceOf(request), request.skipObjectives ?? [], request.signal));
      case 'architect':
        return JSON.stringify(await engine.planFor(request.system, workspaceOf(request), request.signal));
      case 'maestro':
        return JSON.stringify({ strategy: context.config.strategies.default, reason: 'the offline engine keeps the configured default strategy' });
      case 'review':
        // Its plans are the language service's own fixes; the sandbox and the tests still judge them.
        return JSON.stringify({ approved: true, feedback: 'a TypeScript language-service fix from the offline engine' });
      case 'commit-message':
        return commitMessageOf(request.messages.at(-1)?.content ?? '');
      default:
        throw new OfflineRequestError(`the offline engine cannot answer purpose "${request.purpose ?? '(none)'}"; it plays the objective and Architect roles`);
    }
  }

  return {
    name: 'offline',
    url: 'offline://typescript-language-service',
    local: true,
    async send(request) {
      request.signal.throwIfAborted();
      return { text: await answer(request), model: OFFLINE_MODEL, usage: { inputTokens: 0, outputTokens: 0 } };
    },
  };
}

/** The template message, from the "Objective: …\n\nFiles:\n…" request of writeCommitMessage. */
function commitMessageOf(content: string): string {
  const objective = /^Objective: (.*)$/m.exec(content)?.[1] ?? 'apply an offline engine fix';
  const files = (/\nFiles:\n([\s\S]*?)(\n\n|$)/.exec(content)?.[1] ?? '').split('\n').filter((line) => line.trim() !== '');
  return templateCommitMessage({ objective, files });
}
