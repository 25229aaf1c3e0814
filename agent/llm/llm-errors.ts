// Failures of the LLM layer, one class per kind with a stable code. Messages name the
// provider, the endpoint URL (never the key), the model, the HTTP status and the attempts.
import { HephaestusError, type HephaestusErrorOptions } from '../core/errors.js';

/** Where a failed call went; every LLM error carries it in `details`. */
export interface CallTarget {
  provider: string;
  url: string;
  model: string;
}

export interface CallFailureFacts extends CallTarget {
  status: number | null;
  attempts: number;
}

function describeCall(facts: CallFailureFacts): string {
  const status = facts.status === null ? '' : `, HTTP ${facts.status}`;
  const attempts = `${facts.attempts} attempt${facts.attempts === 1 ? '' : 's'}`;
  return `${facts.provider} model "${facts.model}" at ${facts.url} (${attempts}${status})`;
}

function failureOptions(facts: CallFailureFacts, options: HephaestusErrorOptions): HephaestusErrorOptions {
  return { ...options, details: { ...facts, ...options.details } };
}

/** The provider stayed unreachable, rate-limited, failing (5xx) or garbled after every retry. */
export class LlmUnavailableError extends HephaestusError {
  constructor(facts: CallFailureFacts, problem: string, options: HephaestusErrorOptions = {}) {
    super('LLM_UNAVAILABLE', `LLM unavailable: ${describeCall(facts)}: ${problem}. Check that the endpoint is up, or raise llm.retries.maxAttempts / add llm.models.fallback.`, failureOptions(facts, options));
  }
}

/** Every attempt ran out of time (llm.timeoutMs). */
export class LlmTimeoutError extends HephaestusError {
  constructor(facts: CallFailureFacts, timeoutMs: number, options: HephaestusErrorOptions = {}) {
    super('LLM_TIMEOUT', `LLM timed out: ${describeCall(facts)}: no reply within ${timeoutMs} ms. Raise llm.timeoutMs for slow (local) models.`, failureOptions(facts, { ...options, details: { timeoutMs } }));
  }
}

/**
 * The provider rejected the request itself (4xx other than 408/409/429): retrying or another
 * model cannot help, and the run stops at once. Subclasses say which fix the user needs.
 */
export abstract class LlmRefusedError extends HephaestusError {
  /** One line saying what to fix, for the console. */
  readonly fix: string;

  constructor(code: string, facts: CallFailureFacts, problem: string, fix: string, options: HephaestusErrorOptions = {}) {
    super(code, `LLM refused the request: ${describeCall(facts)}: ${problem}. ${fix}`, failureOptions(facts, options));
    this.fix = fix;
  }
}

/** 401 / 403: the key is missing, wrong, or not allowed to use this model. */
export class LlmAuthError extends LlmRefusedError {
  constructor(facts: CallFailureFacts, problem: string, keyVariable: string, options: HephaestusErrorOptions = {}) {
    const fix =
      facts.status === 403
        ? `Check that the key in ${keyVariable} may use model "${facts.model}" (set llm.models or --model to one it may use).`
        : `Check the API key in ${keyVariable}: it was not accepted by ${facts.url}.`;
    super('LLM_AUTH', facts, problem, fix, options);
  }
}

/** 404: the model (or the endpoint) does not exist. */
export class LlmModelNotFoundError extends LlmRefusedError {
  constructor(facts: CallFailureFacts, problem: string, options: HephaestusErrorOptions = {}) {
    super('LLM_MODEL_NOT_FOUND', facts, problem, `Set llm.models.main / llm.models.light (or --model / --light-model) to a model ${facts.provider} serves, and check llm.baseUrl.`, options);
  }
}

/** 400 / 422 and other refusals: the request does not fit the endpoint (parameters, context length). */
export class LlmBadRequestError extends LlmRefusedError {
  constructor(facts: CallFailureFacts, problem: string, options: HephaestusErrorOptions = {}) {
    super('LLM_BAD_REQUEST', facts, problem, `The endpoint rejected the request; check llm.baseUrl, llm.maxTokens and architect.contextTokens for this model.`, options);
  }
}

/** An in-process provider has no answer for this request (e.g. a replay script ran out): not
 *  retried, and not a setup problem, so the roles' own fallbacks still apply. */
export class LlmDeclinedError extends HephaestusError {
  constructor(facts: CallFailureFacts, problem: string, options: HephaestusErrorOptions = {}) {
    super('LLM_REFUSED', `LLM declined the request: ${describeCall(facts)}: ${problem}.`, failureOptions(facts, options));
  }
}

/** The configured provider cannot be used in this process (offline engine missing, no key). */
export class LlmProviderUnavailableError extends HephaestusError {
  constructor(provider: string, message: string, options: HephaestusErrorOptions = {}) {
    super('LLM_PROVIDER_UNAVAILABLE', message, { ...options, details: { provider, ...options.details } });
  }
}

/** The request given to `complete()` is malformed (a programming error in a role). */
export class LlmRequestError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('LLM_REQUEST_INVALID', message, options);
  }
}

export type BudgetName = 'tokensPerCycle' | 'tokensPerRun' | 'costPerRun';

/** A configured llm.budget limit (or --max-cost) is reached; no further calls are made in that scope. */
export class BudgetExceededError extends HephaestusError {
  readonly budget: BudgetName;

  constructor(budget: BudgetName, used: number, limit: number) {
    const amount = (value: number) => (budget === 'costPerRun' ? `$${value.toFixed(4)}` : `${formatAmount(value)} tokens`);
    const raise = budget === 'costPerRun' ? 'Raise llm.budget.costPerRun (or --max-cost USD) to continue.' : 'Raise the limit in hephaestus.config.json to continue.';
    super('BUDGET_EXCEEDED', `LLM budget llm.budget.${budget} exhausted: ${amount(used)} used of ${amount(limit)}. ${raise}`, {
      details: { budget, used, limit },
    });
    this.budget = budget;
  }
}

function formatAmount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}
