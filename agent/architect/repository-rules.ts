// The repository's own instructions to coding agents, for the Architect: a hand-written
// AGENTS.md (or the hand-written part around its begin/end markers), CLAUDE.md,
// .github/copilot-instructions.md and CONTRIBUTING.md, read at the base commit and fitted
// into a token budget shared fairly between the files that exist.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { estimateTokens } from '../llm/token-estimate.js';
import { handWrittenPart } from '../manifest/manifest-ownership.js';

export const RULE_FILES = ['CLAUDE.md', '.github/copilot-instructions.md', 'CONTRIBUTING.md'] as const;

export interface RepositoryRule {
  path: string;
  text: string;
  /** The file was longer than its share of the budget and was cut. */
  cut: boolean;
}

export async function readRepositoryRules(root: string, options: { manifestPath: string; budgetTokens: number; signal?: AbortSignal }): Promise<RepositoryRule[]> {
  const read = async (file: string) => readFile(path.join(root, file), { encoding: 'utf8', ...(options.signal ? { signal: options.signal } : {}) }).catch(() => null);
  const found: Array<{ path: string; text: string }> = [];
  const manifest = handWrittenPart(await read(options.manifestPath)).trim();
  if (manifest !== '') found.push({ path: options.manifestPath, text: manifest });
  for (const file of RULE_FILES) {
    if (file === options.manifestPath) continue;
    const text = (await read(file))?.trim() ?? '';
    if (text !== '') found.push({ path: file, text });
  }
  // Shortest first: a short file takes what it needs and leaves the rest to the longer ones.
  const order = [...found].sort((left, right) => left.text.length - right.text.length);
  let left = Math.max(0, options.budgetTokens);
  const fitted = new Map<string, RepositoryRule>();
  order.forEach((rule, index) => {
    const share = Math.floor(left / (order.length - index));
    const kept = cutToTokens(rule.text, share);
    left -= estimateTokens(kept);
    fitted.set(rule.path, { path: rule.path, text: kept, cut: kept.length < rule.text.length });
  });
  return found.map((rule) => fitted.get(rule.path)!).filter((rule) => rule.text !== '');
}

export function renderRepositoryRules(rules: readonly RepositoryRule[]): string {
  if (rules.length === 0) return '(none)';
  return rules.map((rule) => `### ${rule.path}${rule.cut ? ' (cut to fit the context budget)' : ''}\n\n${rule.text}`).join('\n\n');
}

/** Whole lines that fit in about `maxTokens` (four characters a token). */
function cutToTokens(text: string, maxTokens: number): string {
  if (estimateTokens(text) <= maxTokens) return text;
  const maxCharacters = maxTokens * 4;
  const lines = text.split('\n');
  let characters = 0;
  let kept = 0;
  while (kept < lines.length && characters + lines[kept]!.length + 1 <= maxCharacters) {
    characters += lines[kept]!.length + 1;
    kept++;
  }
  return lines.slice(0, kept).join('\n').trimEnd();
}
