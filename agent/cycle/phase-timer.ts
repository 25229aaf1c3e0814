// Times the phases of one cycle and announces them as events. A phase run inside another
// (the pre-check inside the Architect) is counted once: the outer phase gets its own time only.
import { PHASES, type Phase } from './cycle-record.js';
import type { CycleEventListener } from './cycle-events.js';

export interface PhaseTimer {
  time<T>(phase: Phase, action: () => Promise<T>): Promise<T>;
  /** Whole milliseconds per phase so far. */
  durations(): Record<Phase, number>;
}

export function createPhaseTimer(n: number, onEvent: CycleEventListener | null): PhaseTimer {
  const totals = Object.fromEntries(PHASES.map((phase) => [phase, 0])) as Record<Phase, number>;
  const sum = () => PHASES.reduce((total, phase) => total + totals[phase], 0);
  return {
    async time(phase, action) {
      onEvent?.({ type: 'phase-start', n, phase });
      const started = performance.now();
      const nestedBefore = sum();
      try {
        return await action();
      } finally {
        const elapsed = performance.now() - started;
        const nested = sum() - nestedBefore;
        totals[phase] += Math.max(0, elapsed - nested);
        onEvent?.({ type: 'phase-end', n, phase, durationMs: elapsed });
      }
    },
    durations: () => Object.fromEntries(PHASES.map((phase) => [phase, Math.round(totals[phase])])) as Record<Phase, number>,
  };
}
