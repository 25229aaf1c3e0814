// Why a patch plan was refused, as data: a stable reason code, where, what, and how to fix it.
// The Architect feeds these back to the model verbatim, so messages name files and lines.

export const PLAN_PROBLEM_CODES = [
  'PLAN_INVALID',
  'PATH_REJECTED',
  'PROTECTED_PATH',
  'TEST_EDIT_REJECTED',
  'JUDGE_EDIT_REJECTED',
  'PATCH_TOO_LARGE',
  'FILE_NOT_FOUND',
  'FILE_NOT_TEXT',
  'LINE_OUT_OF_RANGE',
  'BLOCK_NOT_FOUND',
  'BLOCK_AMBIGUOUS',
  'PATCH_NO_EFFECT',
  'SYNTAX_ERROR',
] as const;

export type PlanProblemCode = (typeof PLAN_PROBLEM_CODES)[number];

export interface PlanProblem {
  code: PlanProblemCode;
  /** Repository-relative POSIX path, as the plan named it (normalised when it could be). */
  file?: string;
  /** 1-based line in `file`, when the problem has one. */
  line?: number;
  /** 0-based index into `plan.patches`. */
  patchIndex?: number;
  message: string;
  hint?: string;
}

export type PlanOutcome<T> = ({ ok: true } & T) | { ok: false; problems: PlanProblem[] };

/** One paragraph per problem, for the model's next turn and for cycle records. */
export function formatPlanProblems(problems: readonly PlanProblem[]): string {
  return problems
    .map((problem) => {
      const where = problem.patchIndex === undefined ? '' : `patch #${problem.patchIndex + 1}: `;
      const hint = problem.hint ? `\n  hint: ${problem.hint}` : '';
      return `[${problem.code}] ${where}${problem.message}${hint}`;
    })
    .join('\n');
}
