// Secrets (API keys, tokens) must never reach logs, prompts or cached values.
// Values are collected from the environment and replaced wherever they appear in text.

const SECRET_VARIABLE = /(_API_KEY|_TOKEN|_SECRET|_PASSWORD|^API_KEY|^TOKEN)$/i;
const MIN_SECRET_LENGTH = 6;
export const REDACTED = '[REDACTED]';

export function collectSecrets(env: NodeJS.ProcessEnv = process.env, extra: readonly (string | null | undefined)[] = []): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && SECRET_VARIABLE.test(name) && value.length >= MIN_SECRET_LENGTH) values.add(value);
  }
  for (const value of extra) if (value && value.length >= MIN_SECRET_LENGTH) values.add(value);
  // Longest first so a secret containing another is replaced whole.
  return [...values].sort((left, right) => right.length - left.length);
}

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && result.includes(escaped)) result = result.split(escaped).join(REDACTED);
  }
  return result;
}
