// The Maestro picks the validation strategy for a pre-checked plan (DESIGN.md §1.5): rules
// first, then per-strategy success rates from memory, then the light model only when still
// undecided. It never picks a strategy weaker than the plan needs.
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config, StrategyDefinition } from './config/schema.js';
import { strategiesOf } from './config/schema.js';
import { completeJson } from './llm/complete-json.js';
import { LlmRefusedError } from './llm/llm-errors.js';
import type { LlmClient, UsageMeter } from './llm/types.js';
import type { AgentMemory } from './memory/agent-memory.js';
import { promptSourceOf, renderPrompt } from './prompts/render-prompt.js';
import type { TestFileMatcher } from './scanner/test-files.js';

export type FileKind = 'doc' | 'config' | 'test' | 'source';
export type ChangeKind = 'added' | 'modified' | 'deleted';

export interface PlanFile {
  path: string;
  kind: FileKind;
  change: ChangeKind;
}

export interface StrategyChoice {
  strategy: string;
  /** How it was decided. */
  source: 'rule' | 'memory' | 'llm' | 'default';
  reason: string;
}

export interface MaestroInput {
  changes: ReadonlyMap<string, string | null>;
  /** Files present at the base commit (to tell new files from edits). */
  baseFiles: ReadonlySet<string>;
  analysis: string;
}

export interface MaestroContext {
  config: Config;
  repoRoot: string;
  isTestFile: TestFileMatcher;
  memory?: AgentMemory | null;
  llm?: LlmClient | null;
  logger?: Logger;
  signal?: AbortSignal;
  meter?: UsageMeter;
  /** Decisions by plan shape, shared across the cycles of one run. */
  decisions?: Map<string, StrategyChoice>;
}

/** Attempts a strategy needs in memory before its success rate is trusted. */
export const MIN_ATTEMPTS_FOR_MEMORY = 5;

const DOC_EXTENSIONS = new Set(['.md', '.mdx', '.txt', '.rst', '.adoc']);
const CONFIG_EXTENSIONS = new Set(['.json', '.jsonc', '.yaml', '.yml', '.toml', '.ini', '.cfg', '.conf', '.properties']);
export const maestroReplySchema = z.object({ strategy: z.string().min(1), reason: z.string().nullish() });

export function classifyPlanFiles(input: Pick<MaestroInput, 'changes' | 'baseFiles'>, isTestFile: TestFileMatcher): PlanFile[] {
  return [...input.changes.entries()]
    .map(([file, content]): PlanFile => ({
      path: file,
      kind: kindOf(file, isTestFile),
      change: content === null ? 'deleted' : input.baseFiles.has(file) ? 'modified' : 'added',
    }))
    .sort((left, right) => left.path.localeCompare(right.path));
}

function kindOf(file: string, isTestFile: TestFileMatcher): FileKind {
  if (isTestFile(file)) return 'test';
  const base = path.posix.basename(file);
  const extension = path.posix.extname(file).toLowerCase();
  if (DOC_EXTENSIONS.has(extension) || /^(LICENSE|CHANGELOG|AUTHORS|NOTICE)(\.|$)/i.test(base) || file.startsWith('docs/')) return 'doc';
  if (CONFIG_EXTENSIONS.has(extension) || (base.startsWith('.') && !/\.(c|m)?[jt]sx?$/.test(base))) return 'config';
  return 'source';
}

/** The rules of DESIGN.md §1.5; null when they do not decide. */
export function strategyByRules(files: readonly PlanFile[]): StrategyChoice | null {
  if (files.length === 0) return { strategy: 'DISCARD', source: 'rule', reason: 'the plan changes no file' };
  const kinds = new Set(files.map((file) => file.kind));
  if (kinds.size === 1 && kinds.has('doc')) return { strategy: 'DOC_UPDATE', source: 'rule', reason: 'documentation only' };
  if (kinds.size === 1 && kinds.has('test') && files.every((file) => file.change === 'added')) {
    return { strategy: 'CREATE_NEW_TEST_FILE', source: 'rule', reason: 'only new test files' };
  }
  if (kinds.has('config') && !kinds.has('source') && !kinds.has('test')) return { strategy: 'CONFIG_UPDATE', source: 'rule', reason: 'configuration files (and docs) only' };
  if (kinds.size === 1 && kinds.has('test')) return { strategy: 'TEST_FIX', source: 'rule', reason: 'test files only' };
  return null;
}

/** What any strategy for these files must run: tests for code changes when a test command exists. */
export function requiredSteps(files: readonly PlanFile[], config: Config): string[] {
  const touchesCode = files.some((file) => file.kind === 'source' || file.kind === 'test');
  const required = ['syntax'];
  if (touchesCode && config.validation.tests.command !== null) required.push('tests');
  if (touchesCode && config.validation.typecheck.command !== null) required.push('typecheck');
  return required;
}

function satisfies(definition: StrategyDefinition, required: readonly string[]): boolean {
  return required.every((step) => definition.steps.includes(step) || (step === 'tests' && definition.steps.includes('tests:affected')));
}

export async function selectStrategy(input: MaestroInput, context: MaestroContext): Promise<StrategyChoice> {
  const strategies = strategiesOf(context.config);
  const files = classifyPlanFiles(input, context.isTestFile);
  const required = requiredSteps(files, context.config);
  const floor = (choice: StrategyChoice): StrategyChoice => enforceFloor(choice, strategies, required, context.config);

  const ruled = strategyByRules(files);
  if (ruled) return floor(ruled);

  const shape = files.map((file) => `${file.kind}:${file.change}:${path.posix.extname(file.path)}`).join('|');
  const remembered = context.decisions?.get(shape);
  if (remembered) return { ...remembered, reason: `${remembered.reason} (same plan shape as an earlier cycle)` };

  const eligible = Object.entries(strategies)
    .filter(([name, definition]) => name !== 'DISCARD' && satisfies(definition, required))
    .map(([name]) => name);

  const byMemory = strategyByMemory(eligible, context.memory ?? null);
  const choice = byMemory ?? (await strategyByModel(input, files, eligible, strategies, context)) ?? {
    strategy: context.config.strategies.default,
    source: 'default' as const,
    reason: 'no rule, no memory and no model decided; using strategies.default',
  };
  const final = floor(choice);
  context.decisions?.set(shape, final);
  return final;
}

function strategyByMemory(eligible: readonly string[], memory: AgentMemory | null): StrategyChoice | null {
  if (!memory) return null;
  const rates = memory.successRates();
  const trusted = eligible
    .map((name) => ({ name, stats: rates[name] }))
    .filter((candidate): candidate is { name: string; stats: { attempts: number; rate: number } } => (candidate.stats?.attempts ?? 0) >= MIN_ATTEMPTS_FOR_MEMORY)
    .sort((left, right) => right.stats.rate - left.stats.rate || left.name.localeCompare(right.name));
  const best = trusted[0];
  if (!best) return null;
  return { strategy: best.name, source: 'memory', reason: `highest success rate in memory: ${Math.round(best.stats.rate * 100)}% of ${best.stats.attempts}` };
}

async function strategyByModel(
  input: MaestroInput,
  files: readonly PlanFile[],
  eligible: readonly string[],
  strategies: Record<string, StrategyDefinition>,
  context: MaestroContext,
): Promise<StrategyChoice | null> {
  if (!context.llm || eligible.length === 0) return null;
  const rates = context.memory?.successRates() ?? {};
  const system = await renderPrompt(
    'maestro',
    {
      strategies: eligible.map((name) => `- ${name}: ${strategies[name]!.steps.join(', ')}`).join('\n'),
      stats: eligible.map((name) => `- ${name}: ${rates[name] ? `${Math.round(rates[name].rate * rates[name].attempts)}/${rates[name].attempts}` : 'no data'}`).join('\n'),
      analysis: input.analysis.trim() || '(none)',
      files: files.map((file) => `- ${file.path} (${file.kind}, ${file.change})`).join('\n'),
    },
    promptSourceOf(context.repoRoot, context.config.prompts.dir),
  );
  try {
    const parsed = await completeJson(
      context.llm,
      { role: 'light', purpose: 'maestro', system, messages: [{ role: 'user', content: 'Choose the strategy.' }], temperature: 0, signal: context.signal, meter: context.meter },
      maestroReplySchema,
    );
    if (!parsed.ok) {
      return { strategy: context.config.strategies.default, source: 'default', reason: `the model's reply was unusable (${parsed.problem.message}); using strategies.default` };
    }
    if (!(parsed.value.strategy in strategies) || parsed.value.strategy === 'DISCARD') {
      return {
        strategy: context.config.strategies.default,
        source: 'default',
        reason: `the model chose "${parsed.value.strategy}", which is not an eligible strategy; using strategies.default`,
      };
    }
    return { strategy: parsed.value.strategy, source: 'llm', reason: parsed.value.reason ?? 'chosen by the light model' };
  } catch (error) {
    if (context.signal?.aborted || error instanceof LlmRefusedError) throw error;
    context.logger?.warn({ err: error }, 'maestro-model-failed');
    return { strategy: context.config.strategies.default, source: 'default', reason: `the light model failed (${(error as Error).message}); using strategies.default` };
  }
}

/** Bumps a choice that would skip a step the plan needs to the default, or FULL_VALIDATION. */
function enforceFloor(choice: StrategyChoice, strategies: Record<string, StrategyDefinition>, required: readonly string[], config: Config): StrategyChoice {
  if (choice.strategy === 'DISCARD') return choice;
  const chosen = strategies[choice.strategy];
  if (chosen && satisfies(chosen, required)) return choice;
  for (const fallback of [config.strategies.default, 'FULL_VALIDATION']) {
    const definition = strategies[fallback];
    if (definition && satisfies(definition, required)) {
      return {
        strategy: fallback,
        source: choice.source,
        reason: `${choice.reason}; raised from ${choice.strategy} to ${fallback} because the change needs ${required.join(', ')}`,
      };
    }
  }
  return choice;
}
