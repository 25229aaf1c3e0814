// One call whose reply must be a JSON object of a known shape: the reply is parsed and
// validated, and a reply that fails is evicted from the cache so it is not served again.
import type { z } from 'zod';
import { parseJsonReply, type ReplyProblem } from './parse-json-reply.js';
import type { CompletionRequest, CompletionResult, LlmClient } from './types.js';

export type JsonCompletion<Value> = { ok: true; value: Value; result: CompletionResult } | { ok: false; problem: ReplyProblem; result: CompletionResult };

export async function completeJson<Schema extends z.ZodType>(
  llm: LlmClient,
  request: Omit<CompletionRequest, 'responseFormat'>,
  schema: Schema,
): Promise<JsonCompletion<z.output<Schema>>> {
  const result = await llm.complete({ ...request, responseFormat: 'json' });
  const parsed = parseJsonReply(result.text, schema);
  if (parsed.ok) return { ok: true, value: parsed.value, result };
  await llm.invalidate(result);
  return { ok: false, problem: parsed.problem, result };
}
