// `run --candidates N`: each candidate is validated in a sandbox of its own, so N is capped at
// twice the configured pool (sandbox.pool); more is a usage error that says how to get it.
import type { Config } from '../config/schema.js';
import { UsageError } from '../core/errors.js';

export function candidateLimit(config: Pick<Config, 'sandbox'>): number {
  return config.sandbox.pool * 2;
}

export function checkCandidates(candidates: number, config: Pick<Config, 'sandbox'>): number {
  const limit = candidateLimit(config);
  if (candidates > limit) {
    throw new UsageError(
      `--candidates ${candidates} is more than ${limit}, the limit for sandbox.pool = ${config.sandbox.pool} (each candidate is validated in a sandbox of its own; at most twice the pool). Use --candidates ${limit} or fewer, or raise sandbox.pool (up to 16).`,
    );
  }
  return candidates;
}
