// What `hephaestus doctor` reports: one result per check, with what was found and, when it is
// not fine, the one thing to do about it.

/** pass ✔, warn ! (works, with a caveat), fail ✘ (the agent cannot run), skip - (a check before it failed). */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable name, e.g. "node", "config", "model:main". */
  id: string;
  status: CheckStatus;
  /** What was found, in words. */
  detail: string;
  /** What to do about it; null when there is nothing to do. */
  fix: string | null;
}

export const passed = (id: string, detail: string): CheckResult => ({ id, status: 'pass', detail, fix: null });
export const warned = (id: string, detail: string, fix: string): CheckResult => ({ id, status: 'warn', detail, fix });
export const failed = (id: string, detail: string, fix: string): CheckResult => ({ id, status: 'fail', detail, fix });
export const skipped = (id: string, detail: string): CheckResult => ({ id, status: 'skip', detail, fix: null });
