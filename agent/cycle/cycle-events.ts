// Events a run emits for the progress display and for library users (noun-verb names).
import type { CycleRecord, Phase } from './cycle-record.js';

export type CycleEvent =
  | { type: 'run-start'; runId: string; cycles: number | null; dryRun: boolean }
  | { type: 'cycle-start'; n: number }
  | { type: 'phase-start'; n: number; phase: Phase; detail?: string }
  | { type: 'phase-end'; n: number; phase: Phase; durationMs: number }
  | { type: 'objective-chosen'; n: number; objective: string; source: string }
  | { type: 'cycle-end'; n: number; record: CycleRecord }
  /** Dry runs only: the validated change as a unified diff against the base, and the verdict, instead of a commit. */
  | { type: 'change-validated'; n: number; strategy: string; steps: string[]; passed: boolean; reason: string | null; files: string[]; diff: string }
  | { type: 'run-end'; runId: string; cycles: number; committed: number; branch: string; stopReason: string | null };

export type CycleEventListener = (event: CycleEvent) => void;
