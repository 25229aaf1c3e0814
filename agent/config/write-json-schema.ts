// Build step: writes the JSON Schema of hephaestus.config.json next to the compiled code,
// so editors autocomplete config files that point "$schema" at it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { configSchema } from './schema.js';

export const JSON_SCHEMA_FILE_NAME = 'hephaestus.config.schema.json';

export function buildConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'Hephaestus configuration' };
}

/** dist/ holds the compiled code; the schema sits at its root. */
export function jsonSchemaPath(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', JSON_SCHEMA_FILE_NAME);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = jsonSchemaPath();
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(buildConfigJsonSchema(), null, 2)}\n`);
}
