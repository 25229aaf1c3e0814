// The shape of `.hephaestus/memory.json` (DESIGN.md §6), validated when read back.
import { z } from 'zod';

const outcomeEntry = z.object({
  objective: z.string(),
  strategy: z.string().nullable(),
  at: z.string(),
});

export const completedEntrySchema = outcomeEntry.extend({
  commit: z.string(),
  files: z.array(z.string()),
});

export const failedEntrySchema = outcomeEntry.extend({
  reason: z.string(),
  detail: z.string(),
  /** Normalised hash of the plan that failed, when there was one. */
  planHash: z.string().nullable(),
  /** What the plan was validated against; a change of either makes the plan eligible again. */
  validatedAgainst: z
    .object({
      /** Fingerprint of the validation config (commands, files, linked paths). */
      validation: z.string(),
      /** The base commit the plan was applied to. */
      baseCommit: z.string(),
    })
    .nullable()
    .optional(),
});

export const strategyStatsSchema = z.object({
  attempts: z.number().int().min(0),
  successes: z.number().int().min(0),
  failures: z.number().int().min(0),
  totalMs: z.number().min(0),
});

export const lessonSchema = z.object({
  objective: z.string(),
  lesson: z.string(),
  reason: z.string(),
  at: z.string(),
});

export const memorySchema = z.object({
  version: z.literal(1),
  completed: z.array(completedEntrySchema),
  failed: z.array(failedEntrySchema),
  capabilities: z.array(z.string()),
  recentObjectives: z.array(z.string()),
  strategyStats: z.record(z.string(), strategyStatsSchema),
  flakyTests: z.record(z.string(), z.object({ count: z.number().int().min(1), lastAt: z.string() })),
  lessons: z.array(lessonSchema),
});

export type MemoryData = z.infer<typeof memorySchema>;
export type CompletedEntry = z.infer<typeof completedEntrySchema>;
export type FailedEntry = z.infer<typeof failedEntrySchema>;
export type StrategyStats = z.infer<typeof strategyStatsSchema>;
export type Lesson = z.infer<typeof lessonSchema>;

export function emptyMemory(): MemoryData {
  return { version: 1, completed: [], failed: [], capabilities: [], recentObjectives: [], strategyStats: {}, flakyTests: {}, lessons: [] };
}
