// The one redaction pass every sink applies (prompts, the LLM cache, evolution.jsonl,
// memory.json, lessons and correction objectives, logs, stdout/stderr, pull-request bodies).
// It knows the environment's secrets, the values of the repository's .env files and every
// secret a pattern scan found on the way (`discover`), each also in base64 and URL-encoded
// form. `values` is one array updated in place, so holders of it see later discoveries.
import { collectSecrets, redactSecrets } from './redact-secrets.js';
import { findSecretPatterns } from './find-secret-patterns.js';

const MIN_SECRET_LENGTH = 6;

export interface SecretRedactor {
  /** Known values with their encodings, longest first; the same array for the redactor's life. */
  readonly values: readonly string[];
  redact(text: string): string;
  /** Adds values (and their encodings). */
  add(values: Iterable<string>): void;
  /** Scans `text` for well-known secret shapes, learns them, and returns `text` redacted. */
  discover(text: string): Promise<string>;
}

export function createSecretRedactor(initial: Iterable<string> = collectSecrets(process.env)): SecretRedactor {
  const values: string[] = [];
  const known = new Set<string>();
  const add = (more: Iterable<string>) => {
    let added = false;
    for (const value of more) {
      for (const form of encodedForms(value)) {
        if (form.length < MIN_SECRET_LENGTH || known.has(form)) continue;
        known.add(form);
        values.push(form);
        added = true;
      }
    }
    // Longest first so a secret containing another is replaced whole.
    if (added) values.sort((left, right) => right.length - left.length);
  };
  add(initial);
  return {
    values,
    redact: (text) => redactSecrets(text, values),
    add,
    async discover(text) {
      add(await findSecretPatterns(text));
      return redactSecrets(text, values);
    },
  };
}

/**
 * The value, its base64 (standard and URL-safe, unpadded), URL-encoded and TAP-escaped forms, and the base64
 * cores that appear whatever the value's offset inside a larger encoded text (Basic auth,
 * a key inside an encoded JSON): the edge characters shared with neighbours are left out.
 */
export function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  // TAP (node:test's default reporter on a pipe) escapes `\` and `#` in what tests print.
  const tapEscaped = value.replaceAll('\\', '\\\\').replaceAll('#', '\\#');
  const forms = new Set([value, bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url'), encodeURIComponent(value), tapEscaped]);
  if (bytes.length >= 12) {
    for (const shift of [0, 1, 2]) {
      const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64').replace(/=+$/, '');
      const core = encoded.slice(shift === 0 ? 0 : 4, encoded.length - 3);
      forms.add(core);
      forms.add(core.replaceAll('+', '-').replaceAll('/', '_'));
    }
  }
  return [...forms];
}
