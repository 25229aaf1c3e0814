// Which failed attempts are worth another try, and how long to wait before it: exponential
// backoff with jitter, or exactly what the provider asked for in Retry-After.
// Classification works on both official SDKs' error classes (same Stainless hierarchy).
import { ReplyTooLargeError } from './bounded-fetch.js';

export type FailureKind = 'rate-limited' | 'server' | 'network' | 'timeout' | 'bad-response' | 'too-large' | 'refused' | 'aborted';

export interface AttemptFailure {
  kind: FailureKind;
  status: number | null;
  /** Delay the provider asked for (Retry-After / retry-after-ms), in ms. */
  retryAfterMs: number | null;
  message: string;
  cause: unknown;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** A reply arrived but is not a usable completion (no choices, no text, wrong shape). */
export class MalformedReplyError extends Error {
  override name = 'MalformedReplyError';
}

/** The provider itself declines the request (an in-process provider with no answer for it): never retried. */
export class RequestDeclinedError extends Error {
  override name = 'RequestDeclinedError';
}

/** A Retry-After longer than this is treated as "not now": the call fails instead of stalling the run. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

const RETRYABLE: ReadonlySet<FailureKind> = new Set(['rate-limited', 'server', 'network', 'timeout', 'bad-response']);

export function isRetryable(failure: AttemptFailure): boolean {
  return RETRYABLE.has(failure.kind) && (failure.retryAfterMs === null || failure.retryAfterMs <= MAX_RETRY_AFTER_MS);
}

interface SdkErrorShape {
  name?: string;
  status?: unknown;
  headers?: { get(name: string): string | null } | undefined;
  message?: string;
}

export function classifyFailure(error: unknown): AttemptFailure {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const message = typeof shape.message === 'string' && shape.message !== '' ? shape.message : String(error);
  const name = typeof shape.name === 'string' ? shape.name : '';
  const failure = (kind: FailureKind, status: number | null = null, retryAfterMs: number | null = null): AttemptFailure => ({ kind, status, retryAfterMs, message, cause: error });

  // The same endpoint would stream the same oversized body again: not retried.
  const tooLarge = error instanceof ReplyTooLargeError ? error : (error as { cause?: unknown } | null)?.cause;
  if (tooLarge instanceof ReplyTooLargeError) return { kind: 'too-large', status: null, retryAfterMs: null, message: tooLarge.message, cause: error };
  if (name === 'APIUserAbortError' || name === 'AbortError') return failure('aborted');
  if (name === 'APIConnectionTimeoutError' || name === 'TimeoutError') return failure('timeout');
  if (name === 'APIConnectionError') return failure('network');
  if (error instanceof MalformedReplyError || error instanceof SyntaxError) return failure('bad-response');
  if (error instanceof RequestDeclinedError) return failure('refused');
  if (typeof shape.status === 'number') {
    const status = shape.status;
    const retryAfterMs = retryAfterOf(shape.headers);
    if (status === 429) return failure('rate-limited', status, retryAfterMs);
    if (status >= 500 || status === 408 || status === 409) return failure('server', status, retryAfterMs);
    return failure('refused', status);
  }
  return failure('network');
}

/** Reads `retry-after-ms` or `retry-after` (seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterOf(headers: SdkErrorShape['headers'], now: () => number = Date.now): number | null {
  if (headers === undefined || typeof headers.get !== 'function') return null;
  const milliseconds = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now());
}

/** Delay before attempt `attempt + 1` (attempt counts from 1). */
export function retryDelay(failure: AttemptFailure, attempt: number, policy: RetryPolicy, random: () => number): number {
  if (failure.retryAfterMs !== null) return failure.retryAfterMs;
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // "Equal jitter": at least half the exponential delay, so backoff still grows.
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
