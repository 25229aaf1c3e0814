// One call whose reply must be a JSON object of a known shape: the schema goes to the provider's
// structured-output mode, the reply is parsed and validated, and a reply that fails is evicted
// from the cache so it is not served again.
import type { z } from 'zod';
import { parseJsonReply, type ReplyProblem } from './parse-json-reply.js';
import { responseSchemaOf, type ResponseSchema } from './response-schema.js';
import type { CompletionRequest, CompletionResult, LlmClient } from './types.js';

export type JsonCompletion<Value> = { ok: true; value: Value; result: CompletionResult } | { ok: false; problem: ReplyProblem; result: CompletionResult };

export async function completeJson<Schema extends z.ZodType>(
  llm: LlmClient,
  request: Omit<CompletionRequest, 'responseFormat'>,
  schema: Schema,
): Promise<JsonCompletion<z.output<Schema>>> {
  const result = await llm.complete({ ...request, responseFormat: 'json', responseSchema: cachedResponseSchema(request.purpose, schema) });
  const parsed = parseJsonReply(result.text, schema);
  if (parsed.ok) return { ok: true, value: parsed.value, result };
  await llm.invalidate(result);
  return { ok: false, problem: parsed.problem, result };
}

const converted = new WeakMap<z.ZodType, ResponseSchema>();

/** Each role's schema is converted once per process. */
export function cachedResponseSchema(name: string, schema: z.ZodType): ResponseSchema {
  let known = converted.get(schema);
  if (known === undefined || known.name !== name) {
    known = responseSchemaOf(name.replace(/[^A-Za-z0-9_-]/g, '_'), schema);
    converted.set(schema, known);
  }
  return known;
}
