// Every reason a cycle can end with (the record's `reason`, DESIGN.md §8): one list, used by
// the record schema, the correction rules and the README's table (rendered from REASON_MEANINGS
// and checked by a test). A failure whose error code is not listed is recorded as
// UNEXPECTED_ERROR, its code kept in the detail.
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

export interface ReasonMeaning {
  /** The outcome a cycle with this reason has. */
  readonly outcome: 'rejected' | 'failed' | 'skipped';
  readonly meaning: string;
}

/** What each reason means, for the README's table; every code has one. */
export const REASON_MEANINGS = {
  NOTHING_TO_DO: { outcome: 'skipped', meaning: 'no objective queued and none generated (the offline engine found nothing to fix); the run stops' },
  DEGENERATIVE_LOOP: { outcome: 'skipped', meaning: 'the objective already failed `objectives.maxFailures` times' },
  CAPABILITY_GAP: { outcome: 'skipped', meaning: 'the Architect reports a missing capability; a capacitation objective is queued' },
  REPEATED_PLAN: { outcome: 'skipped', meaning: 'every plan already failed against the same base commit and validation config' },
  DRY_RUN: { outcome: 'skipped', meaning: 'a `--dry-run` cycle validated the plan and committed nothing' },
  ARCHITECT_FAILED: { outcome: 'rejected', meaning: 'no plan passed the pre-check (or the review) within `architect.maxReflections`; the detail lists each attempt' },
  DISCARDED: { outcome: 'rejected', meaning: 'the Maestro chose DISCARD, or the strategy has no steps' },
  VALIDATION_FAILED: { outcome: 'rejected', meaning: 'the strategy failed without a more precise reason' },
  SYNTAX_ERROR: { outcome: 'rejected', meaning: 'a changed file does not parse' },
  TYPECHECK_FAILED: { outcome: 'rejected', meaning: 'the typecheck command failed' },
  LINT_FAILED: { outcome: 'rejected', meaning: 'the lint command failed' },
  TESTS_FAILED: { outcome: 'rejected', meaning: 'a test failed; the detail names it' },
  TESTS_REMOVED: { outcome: 'rejected', meaning: 'fewer tests ran than on the base' },
  TESTS_SKIPPED: { outcome: 'rejected', meaning: 'tests that ran on the base are newly skipped' },
  TESTS_NOT_RUN: { outcome: 'rejected', meaning: 'nothing proves the tests ran (no report), or a new test file ran no passing test' },
  STEP_TIMEOUT: { outcome: 'rejected', meaning: 'a step ran past its timeout' },
  STEP_LIMIT: { outcome: 'rejected', meaning: 'a step exceeded one of its jail limits' },
  COMMAND_FAILED: { outcome: 'rejected', meaning: 'a command step failed' },
  NOT_VALIDATED: { outcome: 'rejected', meaning: 'a code change that no configured step could check (set `validation.allowUnvalidated` to accept it)' },
  ABORTED: { outcome: 'failed', meaning: 'the run was interrupted; the cycle stopped cleanly' },
  BRANCH_MOVED: { outcome: 'rejected', meaning: 'the evolution branch moved during the cycle (compare-and-swap refused)' },
  REGRESSION_ROLLED_BACK: { outcome: 'failed', meaning: 'the sanity step failed on the new tip; the commit was reverted' },
  BASELINE_FAILED: { outcome: 'failed', meaning: 'a step fails on the untouched base commit too, so it cannot judge a change; the run stops (the detail names the step)' },
  BUDGET_EXCEEDED: { outcome: 'failed', meaning: 'an LLM budget (tokens or cost per run or cycle) is spent; the run stops' },
  LLM_UNAVAILABLE: { outcome: 'failed', meaning: 'the model service did not answer after the retries' },
  LLM_TIMEOUT: { outcome: 'failed', meaning: 'a model call timed out' },
  LLM_REFUSED: { outcome: 'failed', meaning: 'the model refused to answer' },
  LLM_AUTH: { outcome: 'failed', meaning: 'the API key was refused; the run stops' },
  LLM_MODEL_NOT_FOUND: { outcome: 'failed', meaning: 'the configured model does not exist; the run stops' },
  LLM_BAD_REQUEST: { outcome: 'failed', meaning: 'the service rejected the request as malformed' },
  LLM_PROVIDER_UNAVAILABLE: { outcome: 'failed', meaning: 'the configured provider cannot be used in this process (no key, engine missing)' },
  LLM_REQUEST_INVALID: { outcome: 'failed', meaning: 'a malformed request to the LLM client (a programming error)' },
  GIT_FAILED: { outcome: 'failed', meaning: 'a git command failed' },
  SANDBOX_POOL_CLOSED: { outcome: 'failed', meaning: 'the sandbox pool closed while the cycle waited for it' },
  PROMPT_TEMPLATE_INVALID: { outcome: 'failed', meaning: 'a prompt template is missing or names an unknown placeholder' },
  UNKNOWN_STRATEGY: { outcome: 'failed', meaning: 'a strategy name the config does not define' },
  UNKNOWN_STEP: { outcome: 'failed', meaning: 'a strategy names a step that does not exist' },
  HEPHAESTUS_CONFIG_INVALID: { outcome: 'failed', meaning: 'the configuration is invalid' },
  HEPHAESTUS_REPO_UNUSABLE: { outcome: 'failed', meaning: 'the repository cannot be used (no commit, not a git repository)' },
  SCAN_INPUT_INVALID: { outcome: 'failed', meaning: 'the repository scan met input it cannot read' },
  SYNTAX_COMMAND_FAILED: { outcome: 'failed', meaning: 'a configured syntax command could not run' },
  JAIL_UNAVAILABLE: { outcome: 'failed', meaning: 'no jail can be built for model-written code (see `sandbox.isolation`)' },
  UNEXPECTED_ERROR: { outcome: 'failed', meaning: 'any other error; its code is kept in the detail' },
} as const satisfies Record<ReasonCode, ReasonMeaning>;

/** The README's table of reasons, one row per code in list order. */
export function renderReasonTable(): string {
  const rows = REASON_CODES.map((code) => `| \`${code}\` | ${REASON_MEANINGS[code].outcome} | ${REASON_MEANINGS[code].meaning} |`);
  return ['| reason | outcome | meaning |', '|---|---|---|', ...rows].join('\n');
}
