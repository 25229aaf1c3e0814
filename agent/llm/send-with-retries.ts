// One model, several attempts: each attempt waits for the shared rate limiter, runs under its
// own timeout, and a retryable failure (429, 5xx, network, timeout, garbled reply) waits the
// backoff or the Retry-After before the next one. The last failure becomes an LLM error.
import type { Logger } from 'pino';
import { redactSecrets } from '../logging/redact-secrets.js';
import { abortedErrorOf, throwIfAborted } from '../core/abort.js';
import type { Clock } from '../core/clock.js';
import { LlmAuthError, LlmBadRequestError, LlmDeclinedError, LlmModelNotFoundError, LlmTimeoutError, LlmUnavailableError, type CallFailureFacts } from './llm-errors.js';
import type { LlmProvider, ProviderReply, ProviderRequest } from './provider.js';
import type { RateLimiter } from './rate-limiter.js';
import { classifyFailure, isRetryable, retryDelay, type AttemptFailure, type RetryPolicy } from './retry-policy.js';
import { estimateTokens } from './token-estimate.js';

export interface SendContext {
  provider: LlmProvider;
  /** null: not rate limited. */
  limiter: RateLimiter | null;
  policy: RetryPolicy;
  timeoutMs: number;
  clock: Clock;
  random: () => number;
  logger: Logger;
  /** Values redacted from provider error messages before they reach an error or a log. */
  secrets: readonly string[];
  /** The environment variable the key comes from, named in an authentication error. */
  keyVariable: string;
}

export interface SentReply {
  reply: ProviderReply;
  attempts: number;
}

export type SendRequest = Omit<ProviderRequest, 'signal'>;

export async function sendWithRetries(request: SendRequest, signal: AbortSignal | undefined, context: SendContext): Promise<SentReply> {
  const { provider, limiter, policy, clock } = context;
  const maxAttempts = policy.maxAttempts;
  const estimate = estimateTokens(request.system, ...request.messages.map((message) => message.content)) + request.maxTokens;

  for (let attempt = 1; ; attempt++) {
    throwIfAborted(signal);
    const permit = limiter === null ? null : await limiter.acquire(estimate, signal);
    const timeout = AbortSignal.timeout(context.timeoutMs);
    try {
      const reply = await provider.send({ ...request, signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]) });
      permit?.release(reply.usage.inputTokens + reply.usage.outputTokens);
      return { reply, attempts: attempt };
    } catch (error) {
      permit?.release();
      if (signal?.aborted) throw abortedErrorOf(signal);
      const failure = timeout.aborted ? { ...classifyFailure(error), kind: 'timeout' as const } : classifyFailure(error);
      const facts: CallFailureFacts = { provider: provider.name, url: provider.url, model: request.model, status: failure.status, attempts: attempt };
      if (failure.kind === 'aborted' || !isRetryable(failure) || attempt >= maxAttempts) throw toLlmError(failure, facts, context);
      const delayMs = retryDelay(failure, attempt, policy, context.random);
      context.logger.warn({ provider: provider.name, model: request.model, kind: failure.kind, status: failure.status, attempt, delayMs }, 'llm-retry');
      await clock.sleep(delayMs, signal);
    }
  }
}

function toLlmError(failure: AttemptFailure, facts: CallFailureFacts, context: SendContext): Error {
  const detail = redactSecrets(failure.message, context.secrets);
  const options = { cause: failure.cause, details: { kind: failure.kind } };
  switch (failure.kind) {
    case 'refused':
      if (facts.status === null) return new LlmDeclinedError(facts, detail, options);
      if (facts.status === 401 || facts.status === 403) return new LlmAuthError(facts, detail, context.keyVariable, options);
      if (facts.status === 404) return new LlmModelNotFoundError(facts, detail, options);
      return new LlmBadRequestError(facts, detail, options);
    case 'timeout':
      return new LlmTimeoutError(facts, context.timeoutMs, options);
    case 'rate-limited':
      return new LlmUnavailableError(facts, `still rate limited (429)${failure.retryAfterMs === null ? '' : `, asked to wait ${failure.retryAfterMs} ms`}`, options);
    case 'server':
      return new LlmUnavailableError(facts, `server error: ${detail}`, options);
    case 'bad-response':
      return new LlmUnavailableError(facts, `malformed reply: ${detail}`, options);
    case 'too-large':
      return new LlmUnavailableError(facts, `${detail}; raise llm.maxReplyBytes only if the endpoint is known to send such replies`, options);
    case 'aborted':
    case 'network':
      return new LlmUnavailableError(facts, `network error: ${detail}`, options);
  }
}
