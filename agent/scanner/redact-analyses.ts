// Secrets written in the repository's own source (a token in a constant, a key in a doc
// comment or a TODO) stay out of what the scanner keeps: the scan cache, its snapshot,
// AGENTS.md and the prompts built from them. They are found by the maintained rule set in the
// analysis's own text, so the result depends on the content alone and stays cacheable by hash.
import { findSecretPatterns } from '../logging/find-secret-patterns.js';
import { redactSecrets } from '../logging/redact-secrets.js';
import type { FileAnalysis } from './scan-types.js';

/** The analyses with every secret-shaped value replaced by [REDACTED]; the same objects when none has one. */
export async function redactAnalyses(analyses: readonly FileAnalysis[]): Promise<FileAnalysis[]> {
  if (analyses.length === 0) return [];
  const texts: string[] = [];
  for (const analysis of analyses) collectStrings(analysis, texts);
  // One scan over all of them: the rule set's start-up costs more than the text.
  const secrets = await findSecretPatterns(texts.join('\n'));
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
