// The base line of a validation step: the step run on the untouched base commit in a sandbox.
// A step that already fails there cannot tell a good change from a bad one; `init` uses this
// to enable only commands that pass, and a cycle whose step failed asks it whether the base
// fails too. Verdicts are cached per base commit and validation config.
import type { Logger } from 'pino';
import type { Config } from '../../agent/config/schema.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { createStep } from '../step-registry.js';
import type { AffectedTests } from '../steps/step.js';
import { findVerdict, readBaselineVerdicts, storeBaselineVerdict, validationFingerprint, type BaselineVerdict } from './baseline-store.js';

export interface BaselineOptions {
  /** Steps to check, e.g. ["typecheck", "lint", "tests"]. */
  steps: readonly string[];
  config: Config;
  stateDir: string;
  /** Leases a sandbox reset to the base commit; called only when a verdict is not cached. */
  sandbox: () => Promise<{ sandbox: Sandbox; release(): void }>;
  baseCommit: string;
  logger: Logger;
  signal: AbortSignal;
  affectedTests?: AffectedTests;
  /** Ignore cached verdicts (init always runs the commands it is about to write). */
  refresh?: boolean;
  /** The run's secret redaction, applied to output tails before they are stored. */
  redact?: (text: string) => string;
}

/** One verdict per step, in the order given; cached ones are not re-run. */
export async function checkBaseline(options: BaselineOptions): Promise<BaselineVerdict[]> {
  const validation = validationFingerprint(options.config);
  const cached = options.refresh ? [] : await readBaselineVerdicts(options.stateDir);
  const verdicts = new Map<string, BaselineVerdict>();
  for (const step of options.steps) {
    const known = findVerdict(cached, step, options.baseCommit, validation);
    if (known) verdicts.set(step, known);
  }
  const missing = options.steps.filter((step) => !verdicts.has(step));
  if (missing.length > 0) {
    const lease = await options.sandbox();
    try {
      // One at a time: each is a whole-tree run, and they share the sandbox.
      for (const step of missing) {
        const result = await createStep(step, options.config).run({
          sandbox: lease.sandbox,
          changes: new Map(),
          config: options.config,
          wholeTree: true,
          ...(options.affectedTests ? { affectedTests: options.affectedTests } : {}),
          signal: options.signal,
          logger: options.logger.child({ step, baseline: true }),
        });
        const verdict: BaselineVerdict = {
          step,
          baseCommit: options.baseCommit,
          validation,
          ok: result.ok,
          skipped: result.skipped ?? false,
          reason: result.reason,
          outputTail: options.redact ? options.redact(result.outputTail) : result.outputTail,
          durationMs: Math.round(result.durationMs),
          at: new Date().toISOString(),
        };
        options.logger.info({ event: 'baseline-checked', step, ok: verdict.ok, reason: verdict.reason, baseCommit: options.baseCommit }, `base line of ${step}: ${verdict.skipped ? 'skipped' : verdict.ok ? 'passes' : verdict.reason}`);
        verdicts.set(step, verdict);
        // An interrupted run says nothing about the base.
        if (result.reason !== 'ABORTED') await storeBaselineVerdict(options.stateDir, verdict);
      }
    } finally {
      lease.release();
    }
  }
  return options.steps.map((step) => verdicts.get(step)!);
}
