// One fix the offline engine can make: what it changes in one file, and the objective naming it.

/** In the order the engine proposes them: real defects first, tidying last. */
export const FIX_KINDS = ['missing-await', 'async-function', 'missing-import', 'unused-import', 'unused-declaration', 'unused-label', 'organize-imports'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

export interface CodeFix {
  kind: FixKind;
  /** Repository-relative path of the one file the fix changes. */
  file: string;
  /** Says exactly what the fix does; the Architect finds the fix again by this text. */
  objective: string;
  rationale: string;
  before: string;
  after: string;
  /** Offset of the diagnostic, for a stable order within a file. */
  position: number;
}
