// The `replay` LLM provider: answers each request with the task's next scripted reply for the
// request's role, verbatim. It is a network-free stand-in for a model that still goes through
// the whole client (cache, limiter, retries, budgets, meters), so eval exercises the real path.
import type { LlmProvider, ProviderRequest } from '../llm/provider.js';
import { throwIfAborted } from '../core/abort.js';
import { RequestDeclinedError } from '../llm/retry-policy.js';
import { estimateTokens } from '../llm/token-estimate.js';
import { REPLAY_ROLES, type ReplayRole } from './task-schema.js';

export const REPLAY_MODEL = 'replay';

/** CompletionRequest.purpose → the replay script's role. */
const ROLE_BY_PURPOSE: Readonly<Record<string, ReplayRole>> = {
  objective: 'objective',
  architect: 'architect',
  maestro: 'maestro',
  review: 'review',
  'commit-message': 'commit',
};

export interface ReplayScript {
  /** The task the replies belong to; named in errors. */
  task: string;
  /** Where the script comes from (the task file); named in errors. */
  source: string;
  replies: Readonly<Partial<Record<ReplayRole, readonly string[]>>>;
}

export interface ReplayProvider extends LlmProvider {
  /** Replies served so far, per role. */
  served(): Record<ReplayRole, number>;
}

export function createReplayProvider(script: ReplayScript): ReplayProvider {
  const served = Object.fromEntries(REPLAY_ROLES.map((role) => [role, 0])) as Record<ReplayRole, number>;

  function nextReply(request: ProviderRequest): string {
    const role = request.purpose === undefined ? undefined : ROLE_BY_PURPOSE[request.purpose];
    if (role === undefined) {
      throw new RequestDeclinedError(`task "${script.task}": the replay model has no role for purpose "${request.purpose ?? '(none)'}"; it answers ${Object.keys(ROLE_BY_PURPOSE).join(', ')}`);
    }
    const replies = script.replies[role] ?? [];
    const index = served[role];
    const reply = replies[index];
    if (reply === undefined) {
      const used = replies.length === 0 ? 'it scripts none' : `all ${replies.length} were used`;
      throw new RequestDeclinedError(`task "${script.task}" has no scripted ${role} reply left (${used}); add one to replies.${role} in ${script.source}`);
    }
    served[role] = index + 1;
    return reply;
  }

  return {
    name: 'replay',
    url: `replay://${script.task}`,
    async send(request) {
      throwIfAborted(request.signal);
      const text = nextReply(request);
      const prompt = estimateTokens(request.system, ...request.messages.map((message) => message.content));
      return { text, model: REPLAY_MODEL, usage: { inputTokens: prompt, outputTokens: estimateTokens(text) } };
    },
    served: () => ({ ...served }),
  };
}
