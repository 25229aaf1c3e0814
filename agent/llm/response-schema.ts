// A role's reply schema as the JSON Schema the providers' structured-output modes take: zod's
// own conversion (input side), then made acceptable to strict modes (OpenAI `strict: true`,
// Anthropic `output_config.format`): every object closed and every property required, optional
// ones nullable, `oneOf` as `anyOf`, and no keywords those modes refuse (lengths, defaults).
// The reply is still parsed and validated with the zod schema itself.
import { z } from 'zod';

export interface ResponseSchema {
  /** Letters, digits, `_` and `-` (OpenAI's rule for json_schema names). */
  name: string;
  schema: Record<string, unknown>;
}

const DROPPED_KEYWORDS = new Set(['$schema', 'default', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'pattern', 'format', 'multipleOf']);

export function responseSchemaOf(name: string, schema: z.ZodType): ResponseSchema {
  const converted = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
  return { name, schema: strictSchemaOf(converted) as Record<string, unknown> };
}

function strictSchemaOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSchemaOf);
  if (typeof node !== 'object' || node === null) return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYWORDS.has(key)) continue;
    result[key === 'oneOf' ? 'anyOf' : key] = key === 'properties' ? mapValues(value as Record<string, unknown>, strictSchemaOf) : strictSchemaOf(value);
  }
  if (result.type === 'object' && typeof result.properties === 'object' && result.properties !== null) {
    const properties = result.properties as Record<string, unknown>;
    const required = new Set(Array.isArray(result.required) ? (result.required as string[]) : []);
    // A property with a default is as good as required (the model can always give a value).
    const defaulted = new Set(Object.entries((node as { properties: Record<string, { default?: unknown }> }).properties).filter(([, property]) => property?.default !== undefined).map(([key]) => key));
    for (const [key, property] of Object.entries(properties)) if (!required.has(key) && !defaulted.has(key)) properties[key] = nullable(property);
    result.required = Object.keys(properties);
    result.additionalProperties = false;
  }
  return result;
}

function nullable(property: unknown): unknown {
  const schema = property as Record<string, unknown>;
  const isNull = (candidate: unknown) => (candidate as { type?: unknown }).type === 'null';
  if (Array.isArray(schema.anyOf)) return schema.anyOf.some(isNull) ? schema : { ...schema, anyOf: [...schema.anyOf, { type: 'null' }] };
  if (Array.isArray(schema.type)) return schema.type.includes('null') ? schema : { ...schema, type: [...schema.type, 'null'] };
  if (typeof schema.type === 'string') return schema.type === 'null' ? schema : { ...schema, type: [schema.type, 'null'] };
  const { description, ...rest } = schema;
  return { ...(description === undefined ? {} : { description }), anyOf: [rest, { type: 'null' }] };
}

function mapValues(record: Record<string, unknown>, map: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
