// Events a run emits for the progress display and for library users (noun-verb names).
import type { CycleRecord, Phase } from './cycle-record.js';

export type CycleEvent =
  | { type: 'cycle-start'; n: number }
  | { type: 'phase-start'; n: number; phase: Phase; detail?: string }
  | { type: 'phase-end'; n: number; phase: Phase; durationMs: number }
  | { type: 'objective-chosen'; n: number; objective: string; source: string }
  | { type: 'cycle-end'; n: number; record: CycleRecord };

export type CycleEventListener = (event: CycleEvent) => void;
