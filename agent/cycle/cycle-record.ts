// The record of one cycle: what `run --json` prints and `.hephaestus/evolution.jsonl` keeps,
// with the phases of DESIGN.md §1 whose durations it carries.
import { z } from 'zod';
import { REASON_CODES } from './reason-codes.js';

export const PHASES = ['objective', 'manifest', 'architect', 'precheck', 'maestro', 'validation', 'commit'] as const;
export type Phase = (typeof PHASES)[number];

export const OUTCOMES = ['committed', 'rejected', 'failed', 'skipped'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const cycleRecordSchema = z.object({
  /** Identifies the run the cycle belonged to. */
  runId: z.string(),
  n: z.number().int(),
  objective: z.string().nullable(),
  strategy: z.string().nullable(),
  outcome: z.enum(OUTCOMES),
  reason: z.enum(REASON_CODES).nullable(),
  detail: z.string(),
  commit: z.string().nullable(),
  files: z.array(z.string()),
  /** The validation steps that actually ran on the change (skipped ones left out), in order. */
  steps: z.array(z.string()).default([]),
  durationsMs: z.record(z.enum(PHASES), z.number()),
  /** tokensIn counts cachedTokensIn (input read from the provider's prompt cache); cost is USD. */
  llm: z.object({ calls: z.number(), cacheHits: z.number(), tokensIn: z.number(), tokensOut: z.number(), cachedTokensIn: z.number().default(0), cost: z.number().default(0) }),
  startedAt: z.string(),
  finishedAt: z.string(),
});

export type CycleRecord = z.infer<typeof cycleRecordSchema>;
