// The patch plan the Architect returns (DESIGN.md §3), validated with zod. Parsing returns
// the plan or PLAN_INVALID problems naming the JSON path; it never throws.
import { z } from 'zod';
import type { PlanProblem } from './plan-problem.js';

export const PATCH_OPERATIONS = ['INSERT', 'REPLACE', 'DELETE_BLOCK', 'DIFF'] as const;

const contentSchema = z
  .union([z.string(), z.array(z.string())])
  .describe('New text: one string, or an array of lines.');

const filePathSchema = z.string().describe('Repository-relative path with forward slashes.');

const isRegexSchema = z
  .boolean()
  .nullish()
  .transform((value) => value ?? undefined)
  .describe('When true, the block or anchor is a JavaScript regular expression (flags gm) that must match exactly once.');

const insertSchema = z
  .object({
    operation: z.literal('INSERT'),
    file_path: filePathSchema,
    content: contentSchema,
    line_number: z
      .number()
      .int()
      .min(1)
      .nullish()
      .transform((value) => value ?? undefined)
      .describe('1-based line the content becomes; absent (with no anchor) appends.'),
    after: z
      .string()
      .min(1)
      .nullish()
      .transform((value) => value ?? undefined)
      .describe('Exact anchor text; the content goes on the lines after the line where it ends.'),
    is_regex: isRegexSchema,
  })
  .refine((patch) => patch.line_number === undefined || patch.after === undefined, {
    message: 'give either line_number or after, not both',
    path: ['after'],
  });

const replaceSchema = z.object({
  operation: z.literal('REPLACE'),
  file_path: filePathSchema,
  block_to_replace: z
    .string()
    .min(1, 'must not be empty; use null to create a new file')
    .nullable()
    .describe('Exact text to replace, or null to create the file with `content`.'),
  content: contentSchema,
  is_regex: isRegexSchema,
});

const deleteBlockSchema = z.object({
  operation: z.literal('DELETE_BLOCK'),
  file_path: filePathSchema,
  block_to_delete: z
    .string()
    .min(1, 'must not be empty; use null to delete the whole file')
    .nullable()
    .describe('Exact text to delete, or null to delete the file.'),
  is_regex: isRegexSchema,
});

const diffSchema = z.object({
  operation: z.literal('DIFF'),
  file_path: filePathSchema,
  diff: z.string().min(1).describe('Unified diff of this one file (hunks starting with @@).'),
});

const operationSchema = z.discriminatedUnion('operation', [insertSchema, replaceSchema, deleteBlockSchema, diffSchema]);

// Models write "replace" or "Delete_Block" often enough; the operation name is matched case-insensitively.
const patchSchema = z.preprocess((value) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const operation = (value as { operation?: unknown }).operation;
  return typeof operation === 'string' ? { ...value, operation: operation.trim().toUpperCase() } : value;
}, operationSchema);

export const patchPlanSchema = z.object({
  analysis: z.string().default('').describe('Why and what, in words.'),
  patches: z.array(patchSchema).describe('Applied in order; all or nothing.'),
  capability_gap: z
    .string()
    .nullish()
    .transform((value) => value ?? undefined)
    .describe('A capability the Architect says the agent lacks; becomes a capacitation objective.'),
});

export type PatchPlan = z.infer<typeof patchPlanSchema>;
export type Patch = PatchPlan['patches'][number];
export type InsertPatch = Extract<Patch, { operation: 'INSERT' }>;
export type ReplacePatch = Extract<Patch, { operation: 'REPLACE' }>;
export type DeleteBlockPatch = Extract<Patch, { operation: 'DELETE_BLOCK' }>;
export type DiffPatch = Extract<Patch, { operation: 'DIFF' }>;

export type ParsePatchPlanResult = { ok: true; plan: PatchPlan } | { ok: false; problems: PlanProblem[] };

/** Validates an already-decoded JSON value. Extra keys are ignored. */
export function parsePatchPlan(value: unknown): ParsePatchPlanResult {
  const parsed = patchPlanSchema.safeParse(value, { reportInput: true });
  if (parsed.success) return { ok: true, plan: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((issue) => problemFromIssue(issue, value)) };
}

function problemFromIssue(issue: z.core.$ZodIssue, value: unknown): PlanProblem {
  const [first, index] = issue.path;
  const patchIndex = first === 'patches' && typeof index === 'number' ? index : undefined;
  const file = patchIndex === undefined ? undefined : filePathAt(value, patchIndex);
  return {
    code: 'PLAN_INVALID',
    ...(file === undefined ? {} : { file }),
    ...(patchIndex === undefined ? {} : { patchIndex }),
    message: `${formatPath(issue.path)}: ${describeIssue(issue)}`,
    hint: 'Reply with one JSON object {"analysis": string, "patches": [...]} in the documented patch format.',
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const received = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'operation') {
    const operation = (received as { operation?: unknown } | undefined)?.operation;
    return `expected one of ${PATCH_OPERATIONS.join(', ')}, received ${JSON.stringify(operation) ?? 'no value (the key is missing)'}`;
  }
  if (issue.code === 'invalid_type') {
    return `expected ${issue.expected}, received ${received === undefined ? 'no value (the key is missing)' : received === null ? 'null' : Array.isArray(received) ? 'array' : typeof received}`;
  }
  return issue.message;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(plan)';
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`)).join('');
}

function filePathAt(value: unknown, patchIndex: number): string | undefined {
  const patches = (value as { patches?: unknown } | null)?.patches;
  if (!Array.isArray(patches)) return undefined;
  const filePath = (patches[patchIndex] as { file_path?: unknown } | null | undefined)?.file_path;
  return typeof filePath === 'string' ? filePath : undefined;
}
