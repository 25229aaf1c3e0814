// The Architect's prompt, laid out for prompt caching: the system prompt (prompts/architect.md)
// runs from what changes least to what changes most: role instructions, plan format and example,
// the repository's own rules (hand-written AGENTS.md, CLAUDE.md, ...), then the manifest, then
// lessons, then the full text of the files it needs; the objective is the first user message
// (prompts/architect-objective.md). Blocks end after the rules and after the manifest (cache
// breakpoints). Everything together stays within `architect.contextTokens` (counted as four
// characters each). The manifest's share depends only on the static part, so it stays
// byte-identical between cycles; lessons get at most a quarter of the rest, files what is left.
import type { Config } from '../config/schema.js';
import { estimateTokens } from '../llm/token-estimate.js';
import type { PromptBlock } from '../llm/types.js';
import type { Lesson } from '../memory/memory-schema.js';
import { promptSourceOf, renderPrompt, renderPromptBlocks } from '../prompts/render-prompt.js';
import type { ScanResult } from '../scanner/scan-types.js';
import { readRepositoryRules, renderRepositoryRules } from './repository-rules.js';
import { renderContextSelection, selectContextFiles, type ContextSelection, type ObjectiveFiles } from './select-context-files.js';

export interface ArchitectPromptInput {
  objective: ObjectiveFiles;
  scan: ScanResult;
  manifest: string;
  lessons: readonly Lesson[];
}

export interface ArchitectPromptContext {
  repoRoot: string;
  config: Pick<Config, 'architect' | 'guards' | 'prompts' | 'manifest'>;
  signal?: AbortSignal;
}

export interface ArchitectPrompt {
  /** Static instructions and rules, manifest (each ending a cache block), then lessons and files. */
  system: PromptBlock[];
  /** The first user message: the objective and the request for a plan. */
  objective: string;
  context: ContextSelection;
}

const NONE = '(none)';
/** What estimateTokens counts as one token. */
const CHARACTERS_PER_TOKEN = 4;
/** Placeholders after which a cache block ends. */
const CACHE_AFTER = ['rules', 'manifest'];

export async function buildArchitectPrompt(input: ArchitectPromptInput, context: ArchitectPromptContext): Promise<ArchitectPrompt> {
  const { config } = context;
  const source = promptSourceOf(context.repoRoot, config.prompts.dir);
  const rules = await readRepositoryRules(context.repoRoot, {
    manifestPath: config.manifest.path,
    budgetTokens: config.architect.rulesTokens,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const values = {
    rules: renderRepositoryRules(rules),
    maxFiles: String(config.guards.maxFiles),
    maxChangedLines: String(config.guards.maxChangedLines),
  };
  const objective = await renderPrompt('architect-objective', { objective: renderObjective(input.objective) }, source);
  const budget = config.architect.contextTokens;
  const staticText = await renderPrompt('architect', { ...values, manifest: '', lessons: '', files: '' }, source);
  const manifest = truncateToTokens(input.manifest.trim() || NONE, Math.floor(Math.max(0, budget - estimateTokens(staticText)) / 2));
  const rest = budget * CHARACTERS_PER_TOKEN - staticText.length - manifest.length - objective.length;
  const lessons = truncateLines(renderLessons(input.lessons), Math.floor(Math.max(0, rest) / 4), 'lessons');
  const selection = await selectContextFiles(input.objective, input.scan, {
    repoRoot: context.repoRoot,
    budgetCharacters: Math.max(0, rest - lessons.length - NONE.length),
    outlineCharacters: config.architect.outlineCharacters,
    manifest,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const system = await renderPromptBlocks('architect', { ...values, manifest, lessons, files: renderContextSelection(selection) ?? NONE }, CACHE_AFTER, source);
  return { system, objective, context: selection };
}

function renderObjective(objective: ObjectiveFiles): string {
  const parts = [objective.text.trim()];
  if (objective.detail?.trim()) parts.push(`Detail: ${objective.detail.trim()}`);
  if (objective.files?.length) parts.push(`Files: ${objective.files.join(', ')}`);
  return parts.join('\n\n');
}

function renderLessons(lessons: readonly Lesson[]): string {
  if (lessons.length === 0) return NONE;
  return lessons.map((lesson) => `- ${lesson.lesson} (${lesson.reason}, from "${lesson.objective}")`).join('\n');
}

/** Cuts at a line boundary and says how much was left out. */
function truncateToTokens(text: string, maxTokens: number): string {
  if (estimateTokens(text) <= maxTokens) return text;
  // estimateTokens counts about four characters per token; keep room for the closing note.
  const maxCharacters = Math.max(0, (maxTokens - 20) * 4);
  const lines = text.split('\n');
  let keptLines = 0;
  let characters = 0;
  while (keptLines < lines.length && characters + lines[keptLines]!.length + 1 <= maxCharacters) {
    characters += lines[keptLines]!.length + 1;
    keptLines++;
  }
  return `${lines.slice(0, keptLines).join('\n')}\n… manifest cut to fit the context budget (${lines.length - keptLines} more lines)`;
}

/** Keeps whole lines within `maxCharacters`, saying how many were left out. */
function truncateLines(text: string, maxCharacters: number, what: string): string {
  if (text.length <= maxCharacters) return text;
  const lines = text.split('\n');
  const note = (left: number) => `… ${left} more ${what} left out to fit the context budget`;
  let kept = 0;
  let characters = 0;
  while (kept < lines.length && characters + lines[kept]!.length + 1 + note(lines.length - kept).length <= maxCharacters) characters += lines[kept++]!.length + 1;
  return kept === 0 ? '' : [...lines.slice(0, kept), note(lines.length - kept)].join('\n');
}
