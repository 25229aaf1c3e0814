// The contract of a per-extension syntax checker, shared by the in-memory pre-check and the
// sandbox `syntax` step.

export interface SyntaxProblem {
  /** Repository-relative path, as given. */
  file: string;
  /** 1-based, when the checker could tell. */
  line?: number;
  /** 1-based, when the checker could tell. */
  column?: number;
  message: string;
}

export interface SourceText {
  path: string;
  content: string;
}

export interface SyntaxCheckContext {
  signal?: AbortSignal;
}

export interface SyntaxChecker {
  /** Shown in logs: "typescript", "json", "command: python3 -m py_compile {file}". */
  readonly name: string;
  check(file: SourceText, context: SyntaxCheckContext): Promise<SyntaxProblem[]>;
}

/** BOMs are invisible to editors but not to JSON.parse. */
export function withoutBom(content: string): string {
  return content.startsWith('\uFEFF') ? content.slice(1) : content;
}
