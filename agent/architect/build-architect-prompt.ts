// The Architect's prompt, laid out for prompt caching: the system prompt (prompts/architect.md)
// runs from what changes least to what changes most: role instructions, plan format and example,
// the repository's own rules (hand-written AGENTS.md, CLAUDE.md, ...), then the manifest, then
// lessons, then the full text of the files it needs; the objective is the first user message
// (prompts/architect-objective.md). Blocks end after the rules and after the manifest (cache
// breakpoints). The manifest's share of `architect.contextTokens` depends only on the static
// part, so it stays byte-identical between cycles; files fill what is left.
import type { Config } from '../config/schema.js';
import { estimateTokens } from '../llm/token-estimate.js';
import type { PromptBlock } from '../llm/types.js';
import type { Lesson } from '../memory/memory-schema.js';
import { promptSourceOf, renderPrompt, renderPromptBlocks } from '../prompts/render-prompt.js';
import type { ScanResult } from '../scanner/scan-types.js';
import { readRepositoryRules, renderRepositoryRules } from './repository-rules.js';
import { selectContextFiles, type ContextFile, type ContextSelection, type ObjectiveFiles } from './select-context-files.js';

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
  const lessons = renderLessons(input.lessons);
  const budget = config.architect.contextTokens;
  const staticTokens = estimateTokens(await renderPrompt('architect', { ...values, manifest: '', lessons: '', files: '' }, source));
  const manifest = truncateToTokens(input.manifest.trim() || NONE, Math.floor(Math.max(0, budget - staticTokens) / 2));
  const selection = await selectContextFiles(input.objective, input.scan, {
    repoRoot: context.repoRoot,
    budgetTokens: Math.max(0, budget - staticTokens - estimateTokens(manifest) - estimateTokens(lessons) - estimateTokens(objective)),
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const system = await renderPromptBlocks('architect', { ...values, manifest, lessons, files: renderFiles(selection) }, CACHE_AFTER, source);
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

function renderFiles(selection: ContextSelection): string {
  const sections = selection.files.map(renderFile);
  for (const file of selection.missing) sections.push(`### ${file} (does not exist yet)`);
  if (selection.omitted.length > 0) {
    sections.push(`Left out to fit the context budget (ask for a smaller change if you need them): ${selection.omitted.map((file) => `${file.path} (~${file.tokens} tokens)`).join(', ')}`);
  }
  return sections.length === 0 ? NONE : sections.join('\n\n');
}

const REASON_LABEL: Record<ContextFile['reason'], string> = {
  named: 'named by the objective',
  imported: 'imported by a named file',
  importer: 'imports a named file',
};

function renderFile(file: ContextFile): string {
  // The fence must be longer than any backtick run inside the file.
  const longestRun = Math.max(0, ...[...file.content.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const body = file.content.endsWith('\n') ? file.content : `${file.content}\n`;
  return `### ${file.path} (${REASON_LABEL[file.reason]})\n${fence}\n${body}${fence}`;
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
