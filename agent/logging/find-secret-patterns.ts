// Well-known secret shapes (cloud keys, GitHub and Slack tokens, OpenAI and Anthropic keys,
// private key blocks, connection strings…) found by secretlint's recommended rule preset, a
// maintained rule set, plus JSON Web Tokens, which the preset leaves out.
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';

const rules = [{ id: recommended.meta.id, rule: recommended, options: {} }];
/** header.payload.signature, each base64url; the header always starts with {" → eyJ. */
const JSON_WEB_TOKEN = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g;

/** The distinct secret values in `text` (exact substrings), longest first. */
export async function findSecretPatterns(text: string): Promise<string[]> {
  if (text === '') return [];
  const found = new Set<string>();
  const result = await lintSource({
    source: { filePath: '/text', content: text, ext: '', contentType: 'text' },
    options: { config: { rules } },
  });
  for (const message of result.messages) {
    const [start, end] = message.range;
    const value = text.slice(start, end).trim();
    if (value.length >= 8) found.add(value);
  }
  for (const match of text.matchAll(JSON_WEB_TOKEN)) found.add(match[0]);
  return [...found].sort((left, right) => right.length - left.length);
}
