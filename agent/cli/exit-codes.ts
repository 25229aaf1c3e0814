// The one place where error identities become process exit codes (DESIGN.md §8).
import { isHephaestusError } from '../core/errors.js';

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  repository: 3,
  interrupted: 130,
} as const;

const EXIT_BY_CODE: Record<string, number> = {
  HEPHAESTUS_CONFIG_INVALID: EXIT.usage,
  HEPHAESTUS_USAGE: EXIT.usage,
  HEPHAESTUS_REPO_UNUSABLE: EXIT.repository,
  HEPHAESTUS_LOCK_HELD: EXIT.repository,
  HEPHAESTUS_ABORTED: EXIT.interrupted,
  LLM_PROVIDER_UNAVAILABLE: EXIT.usage,
  // An eval task file given on the command line is unreadable or malformed.
  EVAL_TASK_INVALID: EXIT.usage,
  // The scanner's API was given a path outside the repository (a caller's mistake).
  SCAN_INPUT_INVALID: EXIT.usage,
  // Fleet: a bad --redis URL, --repo, --schedule or --config, or an id not in the fleet.
  FLEET_REDIS_URL_INVALID: EXIT.usage,
  FLEET_INPUT_INVALID: EXIT.usage,
  FLEET_REPOSITORY_UNKNOWN: EXIT.usage,
};

export function exitCodeFor(error: unknown): number {
  return isHephaestusError(error) ? (EXIT_BY_CODE[error.code] ?? EXIT.failure) : EXIT.failure;
}
