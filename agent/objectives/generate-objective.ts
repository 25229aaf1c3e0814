// Objective generation (DESIGN.md §1.1): metrics summary + AGENTS.md + memory → main model,
// with a heuristic fallback from the metrics when the model is unavailable or unusable.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config/schema.js';
import { cachedResponseSchema } from '../llm/complete-json.js';
import { LlmRefusedError } from '../llm/llm-errors.js';
import { parseJsonReply } from '../llm/parse-json-reply.js';
import type { LlmClient, UsageMeter } from '../llm/types.js';
import { normalise, type ReadonlyMemory } from '../memory/agent-memory.js';
import { promptSourceOf, renderPromptBlocks } from '../prompts/render-prompt.js';
import { renderMetricsSummary, type MetricsSummary } from '../scanner/summarize-metrics.js';

export const objectiveReplySchema = z.object({
  objective: z.string().min(8),
  rationale: z.string().nullish(),
  files: z.array(z.string()).nullish(),
});

/** `{"objective": null}`: the engine looked and found nothing to do. */
const nothingToDoSchema = z.object({ objective: z.null(), rationale: z.string().nullish() });

/** What the provider's structured-output mode is given: either reply above. */
const objectiveWireSchema = z.object({ objective: z.string().nullable(), rationale: z.string().nullish(), files: z.array(z.string()).nullish() });

export interface GeneratedObjective {
  text: string;
  rationale: string | null;
  files: string[];
  source: 'llm' | 'heuristic';
}

export interface GenerateObjectiveInput {
  metrics: MetricsSummary;
  manifest: string;
  memory: ReadonlyMemory;
  /** Objectives being worked on while this one is proposed: listed first among the recent ones. */
  attempting?: readonly string[];
}

export interface GenerateObjectiveContext {
  config: Config;
  repoRoot: string;
  llm: LlmClient | null;
  logger?: Logger;
  signal?: AbortSignal;
  meter?: UsageMeter;
}

const MANIFEST_BUDGET_CHARS = 24_000;

export async function generateObjective(input: GenerateObjectiveInput, context: GenerateObjectiveContext): Promise<GeneratedObjective | null> {
  if (context.llm) {
    const generated = await objectiveFromModel(input, { ...context, llm: context.llm });
    if (generated) return generated;
  }
  return heuristicObjective(input.metrics, input.memory, context.config.objectives.maxFailures, input.attempting ?? []);
}

/** The objectives in progress, then the ones the memory recorded, each once. */
function recentObjectives(input: GenerateObjectiveInput): string[] {
  const seen = new Set<string>();
  return [...(input.attempting ?? []), ...input.memory.snapshot.recentObjectives].filter((objective) => {
    const key = normalise(objective);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function objectiveFromModel(input: GenerateObjectiveInput, context: GenerateObjectiveContext & { llm: LlmClient }): Promise<GeneratedObjective | null> {
  const memory = input.memory.snapshot;
  // The prompt has its own metrics block: the manifest's copy would say the same thing twice.
  const manifest = withoutSection(input.manifest, 'Metrics');
  // Laid out for prompt caching: instructions, capabilities and manifest first (one cached
  // block), then what changes from one call to the next.
  const system = await renderPromptBlocks(
    'objective',
    {
      manifest: manifest.length > MANIFEST_BUDGET_CHARS ? `${manifest.slice(0, MANIFEST_BUDGET_CHARS)}\n… (manifest cut)` : manifest,
      metrics: renderMetricsSummary(input.metrics),
      recent: listOrNone(recentObjectives(input).slice(0, 10)),
      failed: listOrNone(memory.failed.slice(-10).map((entry) => `${entry.objective} — ${entry.reason}`)),
      capabilities: listOrNone(memory.capabilities),
    },
    ['manifest'],
    promptSourceOf(context.repoRoot, context.config.prompts.dir),
  );
  try {
    const result = await context.llm.complete({
      role: 'main',
      purpose: 'objective',
      system,
      messages: [{ role: 'user', content: 'Choose the next objective.' }],
      responseFormat: 'json',
      responseSchema: cachedResponseSchema('objective', objectiveWireSchema),
      signal: context.signal,
      meter: context.meter,
    });
    const nothing = parseJsonReply(result.text, nothingToDoSchema);
    if (nothing.ok) {
      context.logger?.info({ rationale: nothing.value.rationale ?? null }, 'objective-nothing-to-do');
      return null;
    }
    const parsed = parseJsonReply(result.text, objectiveReplySchema);
    if (!parsed.ok) {
      await context.llm.invalidate(result);
      context.logger?.warn({ problem: parsed.problem }, 'objective-reply-unusable; falling back to the metrics');
      return null;
    }
    return { text: parsed.value.objective.trim(), rationale: parsed.value.rationale ?? null, files: parsed.value.files ?? [], source: 'llm' };
  } catch (error) {
    if (context.signal?.aborted) throw error;
    // Budgets and refusals (key, model, request) are the caller's to report: falling back to the
    // metrics would hide them. Only transient failures fall back; the fallback still gives work.
    if ((error as { code?: string }).code === 'BUDGET_EXCEEDED' || error instanceof LlmRefusedError) throw error;
    context.logger?.warn({ err: error }, 'objective-model-failed; falling back to the metrics');
    return null;
  }
}

/** An objective read straight off the metrics, skipping ones tried recently or failed too often. */
export function heuristicObjective(metrics: MetricsSummary, memory: ReadonlyMemory, maxFailures: number, attempting: readonly string[] = []): GeneratedObjective | null {
  const recent = new Set([...attempting, ...memory.snapshot.recentObjectives.slice(0, 5)].map(normalise));
  const candidates: Array<Omit<GeneratedObjective, 'source'>> = [
    ...metrics.syntaxErrors.map((issue) => ({
      text: `Fix the syntax error in ${issue.path} at line ${issue.line}: ${issue.message}`,
      rationale: 'a file that does not parse breaks everything that imports it',
      files: [issue.path],
    })),
    ...metrics.mostComplex
      .filter((metric) => metric.complexity >= 10)
      .map((metric) => ({
        text: `Simplify ${metric.name} in ${metric.path} (line ${metric.line}, cyclomatic complexity ${metric.complexity}) without changing its behaviour`,
        rationale: 'complex functions are where defects hide',
        files: [metric.path],
      })),
    ...metrics.untestedModules.map((module) => ({
      text: `Add a test file covering the exported behaviour of ${module.path}`,
      rationale: 'no test reaches this module',
      files: [module.path],
    })),
    ...metrics.todoHotSpots.map((spot) => ({
      text: `Resolve the TODO in ${spot.path} at line ${spot.line}: ${spot.first}`,
      rationale: `${spot.count} TODO/FIXME marker(s) in this file`,
      files: [spot.path],
    })),
    ...metrics.longestFunctions
      .filter((metric) => metric.length >= 60)
      .map((metric) => ({
        text: `Split ${metric.name} in ${metric.path} (line ${metric.line}, ${metric.length} lines) into smaller functions without changing its behaviour`,
        rationale: 'long functions are hard to read and test',
        files: [metric.path],
      })),
  ];
  const next = candidates.find((candidate) => !recent.has(normalise(candidate.text)) && memory.failureCount(candidate.text) < maxFailures);
  return next ? { ...next, source: 'heuristic' } : null;
}

/** The text without its `## <title>` section (up to the next `## ` heading). */
export function withoutSection(markdown: string, title: string): string {
  const heading = `## ${title}\n`;
  const start = markdown.startsWith(heading) ? 0 : markdown.indexOf(`\n${heading}`);
  if (start < 0) return markdown;
  const next = markdown.indexOf('\n## ', start + heading.length);
  return next < 0 ? `${markdown.slice(0, start).trimEnd()}\n` : `${markdown.slice(0, start)}${markdown.slice(next)}`;
}

function listOrNone(lines: readonly string[]): string {
  return lines.length === 0 ? '(none)' : lines.map((line) => `- ${line}`).join('\n');
}
