// Secrets written in the repository's own source (a token in a constant, a key in a doc
// comment or a TODO) stay out of what the scanner keeps: the scan cache, its snapshot,
// AGENTS.md and the prompts built from them. They are found by the maintained rule set in the
// analysis's own text, and by the values of the repository's `.env*` files (`known`), which no
// rule set recognises; the cache keys carry a digest of those values (redactionKeyOf).
import { createHash } from 'node:crypto';
import { findSecretPatterns } from '../logging/find-secret-patterns.js';
import { redactSecrets } from '../logging/redact-secrets.js';
import type { FileAnalysis } from './scan-types.js';

/**
 * The analyses with every secret-shaped value and every `known` value replaced by [REDACTED];
 * the same objects when none has one.
 */
export async function redactAnalyses(analyses: readonly FileAnalysis[], known: readonly string[] = []): Promise<FileAnalysis[]> {
  if (analyses.length === 0) return [];
  const texts: string[] = [];
  for (const analysis of analyses) collectStrings(analysis, texts);
  // One scan over all of them: the rule set's start-up costs more than the text.
  const found = await findSecretPatterns(texts.join('\n'));
  // Longest first, so a value containing another is replaced whole.
  const secrets = [...new Set([...found, ...known])].sort((left, right) => right.length - left.length);
  if (secrets.length === 0) return [...analyses];
  return analyses.map((analysis) => {
    const json = JSON.stringify(analysis);
    const redacted = redactSecrets(json, secrets);
    return redacted === json ? analysis : (JSON.parse(redacted) as FileAnalysis);
  });
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) collectStrings(item, into);
}

/**
 * What the redaction depends on besides a file's content: '' without `known` values (keys stay
 * as they were), else a digest of them, so analyses redacted for other values never match.
 */
export function redactionKeyOf(known: readonly string[]): string {
  if (known.length === 0) return '';
  return createHash('sha256').update([...known].sort().join('\0')).digest('hex').slice(0, 16);
}
