// The messages between the offline engine and its analysis worker (plain data, structured-cloned).
import type { CodeFix } from './code-fix.js';

export interface AnalysisRequest {
  id: number;
  /** Absolute path of the workspace. */
  root: string;
  /** Repository-relative paths of the editable sources. */
  sources: string[];
}

export type AnalysisReply =
  | { id: number; ok: true; fixes: CodeFix[]; files: number; durationMs: number }
  | { id: number; ok: false; message: string; stack?: string };
