// Prompt templates: `prompts/<name>.md` with `{{placeholder}}` slots, overridable per repository
// through `prompts.dir`. A placeholder without a value is an error, never an empty string.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HephaestusError } from '../core/errors.js';
import type { PromptBlock } from '../llm/types.js';
import { packageRoot } from '../package-root.js';

/** The templates shipped with the package (the top-level prompts/ folder). */
export const BUILT_IN_PROMPTS_DIR = path.join(packageRoot(), 'prompts');

export class PromptTemplateError extends HephaestusError {
  constructor(message: string) {
    super('PROMPT_TEMPLATE_INVALID', message);
  }
}

export interface PromptSource {
  /** prompts.dir from config, resolved against the repository root; null for built-ins only. */
  overrideDir: string | null;
}

const cache = new Map<string, string>();
const PLACEHOLDER = /\{\{\s*([A-Za-z][\w]*)\s*\}\}/g;

export async function loadPromptTemplate(name: string, source: PromptSource): Promise<{ text: string; file: string }> {
  const candidates = [source.overrideDir, BUILT_IN_PROMPTS_DIR].filter((dir): dir is string => dir !== null).map((dir) => path.join(dir, `${name}.md`));
  for (const file of candidates) {
    const cached = cache.get(file);
    if (cached !== undefined) return { text: cached, file };
    try {
      const text = await readFile(file, 'utf8');
      cache.set(file, text);
      return { text, file };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new PromptTemplateError(`prompt template "${name}.md" not found in ${candidates.join(' or ')}`);
}

/** Fills every `{{name}}`; unknown or missing values name the template and the placeholder. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>, templateName = 'template'): string {
  const missing = new Set<string>();
  const filled = template.replace(PLACEHOLDER, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) {
      missing.add(key);
      return '';
    }
    return value;
  });
  if (missing.size > 0) {
    throw new PromptTemplateError(`${templateName}: no value for placeholder(s) ${[...missing].map((key) => `{{${key}}}`).join(', ')}; provided: ${Object.keys(values).join(', ') || 'none'}`);
  }
  return filled;
}

/** Like fillTemplate, cut into blocks for prompt caching: a block ends (marked `cache`) right after
 *  each placeholder named in `cacheAfter`; the rest of the template is the last, uncached block. */
export function fillTemplateBlocks(template: string, values: Readonly<Record<string, string>>, cacheAfter: readonly string[], templateName = 'template'): PromptBlock[] {
  fillTemplate(template, values, templateName); // names every missing placeholder at once
  const blocks: PromptBlock[] = [];
  let current = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const key = match[1]!;
    current += template.slice(last, match.index) + values[key]!;
    last = match.index + match[0].length;
    if (cacheAfter.includes(key)) {
      blocks.push({ text: current, cache: true });
      current = '';
    }
  }
  current += template.slice(last);
  if (current !== '') blocks.push({ text: current });
  return blocks;
}

export async function renderPromptBlocks(name: string, values: Readonly<Record<string, string>>, cacheAfter: readonly string[], source: PromptSource): Promise<PromptBlock[]> {
  const { text, file } = await loadPromptTemplate(name, source);
  return fillTemplateBlocks(text, values, cacheAfter, file);
}

export async function renderPrompt(name: string, values: Readonly<Record<string, string>>, source: PromptSource): Promise<string> {
  const { text, file } = await loadPromptTemplate(name, source);
  return fillTemplate(text, values, file);
}

/** The override directory from config (relative to the repository root). */
export function promptSourceOf(repoRoot: string, promptsDir: string | null): PromptSource {
  return { overrideDir: promptsDir === null ? null : path.resolve(repoRoot, promptsDir) };
}
