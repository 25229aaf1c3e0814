// The eval task file (format in the corpus README): a repository bundle at a base commit,
// setup commands, an objective, the replay model's scripted replies, a hidden check and the
// outcome the first cycle must reach.
import { z } from 'zod';

/** The roles a replay script answers, in the order of a cycle. */
export const REPLAY_ROLES = ['objective', 'architect', 'maestro', 'review', 'commit'] as const;
export type ReplayRole = (typeof REPLAY_ROLES)[number];

export const TASK_PROVIDERS = ['replay', 'offline'] as const;

const argvSchema = z.array(z.string()).min(1).describe('A command as an argv array: the program, then its arguments. No shell is used.');

const repliesSchema = z
  .strictObject(Object.fromEntries(REPLAY_ROLES.map((role) => [role, z.array(z.string()).default([])])) as Record<ReplayRole, z.ZodDefault<z.ZodArray<z.ZodString>>>)
  .prefault({})
  .describe('Scripted replies per role, verbatim and in order.');

export const taskSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a name of letters, digits, ".", "_" and "-" (it names directories)')
    .describe('Unique task name.'),
  repo: z.string().min(1).describe('Bundle path, relative to the corpus root (the directory above tasks/).'),
  base: z.string().min(1).describe('Commit or ref in the bundle to start from.'),
  setup: z.array(argvSchema).default([]).describe('Commands run in the clone before anything else.'),
  config: z.record(z.string(), z.unknown()).nullable().default(null).describe('null: run init; an object: written as hephaestus.config.json.'),
  objective: z.string().min(1).nullable().describe('The one-off objective of the first cycle; null lets the planner choose.'),
  cycles: z.number().int().min(1).default(1),
  replies: repliesSchema,
  checkFiles: z.record(z.string(), z.string()).default({}).describe('Hidden files written at the branch tip before the check.'),
  check: z.array(argvSchema).default([]).describe('Commands run at the branch tip; all must exit 0.'),
  expect: z.strictObject({
    outcome: z.enum(['committed', 'rejected', 'skipped']),
    reason: z.string().min(1).optional(),
  }),
  providers: z.array(z.enum(TASK_PROVIDERS)).optional().describe('Providers the task is meant for; absent means any.'),
});

export type TaskInput = z.input<typeof taskSchema>;

export interface EvalTask extends z.infer<typeof taskSchema> {
  /** Absolute path of the task file. */
  file: string;
  /** Absolute path of the bundle (repo resolved against the corpus root). */
  bundle: string;
}
