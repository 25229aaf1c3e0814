// Values from the repository's `.env*` files: what a test may print or a correction objective
// may quote, and so must be redacted like the environment's own secrets. Values of variables
// named like secrets count, and any other long value that is not a plain word or number.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD|PASS|AUTH|CREDENTIAL|PRIVATE|DSN|SIGNATURE|SALT|COOKIE|SESSION)/i;
const MIN_LENGTH = 6;
const LONG_VALUE = 16;

/** Secret-looking values of `.env`, `.env.local`, `.env.*` in `directory` (not below it). */
export async function readEnvFileSecrets(directory: string): Promise<string[]> {
  const names = await readdir(directory).catch(() => [] as string[]);
  const values = new Set<string>();
  for (const name of names.filter((entry) => entry === '.env' || entry.startsWith('.env.')).sort()) {
    const text = await readFile(path.join(directory, name), 'utf8').catch(() => '');
    for (const [variable, value] of parseEnvLines(text)) {
      if (value.length < MIN_LENGTH) continue;
      if (SECRET_NAME.test(variable) || (value.length >= LONG_VALUE && !/^[a-z]+$|^\d+$/i.test(value))) values.add(value);
    }
  }
  return [...values];
}

/** dotenv's format: `[export] NAME=value`, optional quotes, `#` comments. */
export function parseEnvLines(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.lastIndexOf(quote) > 0) value = value.slice(1, value.lastIndexOf(quote));
    else value = value.replace(/\s+#.*$/, '');
    pairs.push([match[1]!, value]);
  }
  return pairs;
}
