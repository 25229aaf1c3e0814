// Well-known secret shapes (cloud keys, GitHub and Slack tokens, OpenAI and Anthropic keys,
// private key blocks, connection strings…) found by secretlint's recommended rule preset, a
// maintained rule set, plus JSON Web Tokens, which the preset leaves out.

/** The rule engine, loaded on first use: it costs about half a second of start-up. */
let engine: Promise<{ lintSource: typeof import('@secretlint/core').lintSource; rules: unknown[] }> | undefined;
function loadEngine() {
  engine ??= Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]).then(([core, preset]) => ({
    lintSource: core.lintSource,
    rules: [{ id: preset.creator.meta.id, rule: preset.creator, options: {} }],
  }));
  return engine;
}

/** header.payload.signature, each base64url; the header always starts with {" → eyJ. */
const JSON_WEB_TOKEN = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g;

/** The distinct secret values in `text` (exact substrings), longest first. */
export async function findSecretPatterns(text: string): Promise<string[]> {
  if (text === '') return [];
  const found = new Set<string>();
  const { lintSource, rules } = await loadEngine();
  const result = await lintSource({
    source: { filePath: '/text', content: text, ext: '', contentType: 'text' },
    options: { config: { rules } as Parameters<typeof lintSource>[0]['options']['config'] },
  });
  for (const message of result.messages) {
    const [start, end] = message.range;
    const value = text.slice(start, end).trim();
    if (value.length >= 8) found.add(value);
  }
  for (const match of text.matchAll(JSON_WEB_TOKEN)) found.add(match[0]);
  return [...found].sort((left, right) => right.length - left.length);
}
