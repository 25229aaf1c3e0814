// `.hephaestus/baseline.json`: how each validation step fared on an untouched base commit, so a
// step that fails before any change is known without running it again. Keyed by base commit,
// step and a hash of the validation config: a new commit or a changed command re-runs it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../../agent/config/schema.js';
import { writeFileAtomic } from '../../agent/state/atomic-write.js';

export const BASELINE_FILE_NAME = 'baseline.json';
const KEPT_VERDICTS = 100;

export const baselineVerdictSchema = z.object({
  step: z.string(),
  baseCommit: z.string(),
  validation: z.string(),
  ok: z.boolean(),
  skipped: z.boolean(),
  reason: z.string().nullable(),
  outputTail: z.string(),
  durationMs: z.number().min(0),
  at: z.string(),
});

const baselineFileSchema = z.object({ version: z.literal(1), verdicts: z.array(baselineVerdictSchema) });

export type BaselineVerdict = z.infer<typeof baselineVerdictSchema>;

/** What a base-line verdict depends on besides the commit: the validation and sandbox settings. */
export function validationFingerprint(config: Pick<Config, 'validation' | 'sandbox'>): string {
  const relevant = { validation: config.validation, linkPaths: config.sandbox.linkPaths, network: config.sandbox.network };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}

export async function readBaselineVerdicts(stateDir: string): Promise<BaselineVerdict[]> {
  const text = await readFile(path.join(stateDir, BASELINE_FILE_NAME), 'utf8').catch(() => null);
  if (text === null) return [];
  try {
    const parsed = baselineFileSchema.safeParse(JSON.parse(text));
    // An unreadable file only costs a re-run of the base line.
    return parsed.success ? parsed.data.verdicts : [];
  } catch {
    return [];
  }
}

export function findVerdict(verdicts: readonly BaselineVerdict[], step: string, baseCommit: string, validation: string): BaselineVerdict | null {
  return verdicts.find((verdict) => verdict.step === step && verdict.baseCommit === baseCommit && verdict.validation === validation) ?? null;
}

/** Adds (or replaces) a verdict; the newest verdicts are kept. */
export async function storeBaselineVerdict(stateDir: string, verdict: BaselineVerdict): Promise<void> {
  const others = (await readBaselineVerdicts(stateDir)).filter(
    (kept) => !(kept.step === verdict.step && kept.baseCommit === verdict.baseCommit && kept.validation === verdict.validation),
  );
  const verdicts = [...others, verdict].slice(-KEPT_VERDICTS);
  await writeFileAtomic(path.join(stateDir, BASELINE_FILE_NAME), `${JSON.stringify({ version: 1, verdicts }, null, 2)}\n`);
}
