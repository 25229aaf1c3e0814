// Every reason a cycle can end with (the record's `reason`, DESIGN.md §8): one list, used by
// the record schema, the correction rules and the README's table. A failure whose error code
// is not listed is recorded as UNEXPECTED_ERROR, its code kept in the detail.
import { STEP_REASONS } from '../../strategies/steps/step.js';

export const REASON_CODES = [
  // skipped
  'NOTHING_TO_DO',
  'DEGENERATIVE_LOOP',
  'CAPABILITY_GAP',
  'REPEATED_PLAN',
  'DRY_RUN',
  // rejected
  'ARCHITECT_FAILED',
  'DISCARDED',
  'VALIDATION_FAILED',
  ...STEP_REASONS,
  'BRANCH_MOVED',
  'REGRESSION_ROLLED_BACK',
  // failed
  'BASELINE_FAILED',
  'BUDGET_EXCEEDED',
  'LLM_UNAVAILABLE',
  'LLM_TIMEOUT',
  'LLM_REFUSED',
  'LLM_AUTH',
  'LLM_MODEL_NOT_FOUND',
  'LLM_BAD_REQUEST',
  'LLM_PROVIDER_UNAVAILABLE',
  'LLM_REQUEST_INVALID',
  'GIT_FAILED',
  'SANDBOX_POOL_CLOSED',
  'PROMPT_TEMPLATE_INVALID',
  'UNKNOWN_STRATEGY',
  'UNKNOWN_STEP',
  'HEPHAESTUS_CONFIG_INVALID',
  'HEPHAESTUS_REPO_UNUSABLE',
  'SCAN_INPUT_INVALID',
  'SYNTAX_COMMAND_FAILED',
  'JAIL_UNAVAILABLE',
  'UNEXPECTED_ERROR',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

const KNOWN = new Set<string>(REASON_CODES);

export function isReasonCode(code: string): code is ReasonCode {
  return KNOWN.has(code);
}
