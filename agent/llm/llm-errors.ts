// Failures of the LLM layer, one class per kind with a stable code. Messages name the
// provider, the endpoint URL (never the key), the model, the HTTP status and the attempts.
import { HephaestusError, type HephaestusErrorOptions } from '../errors.js';

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

/** The provider rejected the request itself (400, 401, 403, 404, 422): retrying cannot help. */
export class LlmRefusedError extends HephaestusError {
  constructor(facts: CallFailureFacts, problem: string, options: HephaestusErrorOptions = {}) {
    super('LLM_REFUSED', `LLM refused the request: ${describeCall(facts)}: ${problem}${refusalHint(facts.status)}`, failureOptions(facts, options));
  }
}

function refusalHint(status: number | null): string {
  if (status === 401 || status === 403) return '. Check the API key in the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY or llm.apiKeyEnv).';
  if (status === 404) return '. Check llm.baseUrl and the model names in llm.models.';
  return '.';
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

/** A configured llm.budget limit is reached; no further calls are made in that scope. */
export class BudgetExceededError extends HephaestusError {
  readonly budget: BudgetName;

  constructor(budget: BudgetName, used: number, limit: number) {
    const unit = budget === 'costPerRun' ? '' : ' tokens';
    super('BUDGET_EXCEEDED', `LLM budget llm.budget.${budget} exhausted: ${formatAmount(used)}${unit} used of ${formatAmount(limit)}${unit}. Raise the limit in hephaestus.config.json to continue.`, {
      details: { budget, used, limit },
    });
    this.budget = budget;
  }
}

function formatAmount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}
