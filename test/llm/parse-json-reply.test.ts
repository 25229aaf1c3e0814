// Reply parsing shared by every role: JSON found in fences or prose, repaired when slightly
// malformed, validated by zod, and problems precise enough to send back to the model.
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { parseJsonReply } from '../../agent/llm/parse-json-reply.js';

const maestroReply = z.object({ strategy: z.string(), reason: z.string().optional() });
const planReply = z.object({
  analysis: z.string(),
  patches: z.array(z.object({ operation: z.enum(['INSERT', 'REPLACE', 'DELETE_BLOCK', 'DIFF']), file_path: z.string() })),
});

describe('finding the JSON', () => {
  test.each([
    ['bare JSON', '{"strategy":"SYNTAX_ONLY"}'],
    ['a json code fence inside prose', 'Sure! Here is my choice:\n```json\n{"strategy": "SYNTAX_ONLY"}\n```\nHope this helps.'],
    ['an unlabelled fence', '```\n{"strategy": "SYNTAX_ONLY"}\n```'],
    ['braces inside prose', 'I pick {"strategy": "SYNTAX_ONLY"} because it is cheap.'],
    ['an example object before the fenced answer', 'Format: {"strategy": 1}\n```json\n{"strategy":"SYNTAX_ONLY"}\n```'],
  ])('reads %s', (_name, text) => {
    expect(parseJsonReply(text, maestroReply)).toEqual({ ok: true, value: { strategy: 'SYNTAX_ONLY' }, repaired: false });
  });

  test('repairs slight malformations: single quotes, trailing commas, a missing closing brace', () => {
    expect(parseJsonReply("```json\n{'strategy': 'TEST_FIX', 'reason': 'tests fail',\n```", maestroReply)).toEqual({ ok: true, value: { strategy: 'TEST_FIX', reason: 'tests fail' }, repaired: true });
  });

  test('extra keys are ignored', () => {
    expect(parseJsonReply('{"strategy":"DISCARD","confidence":0.9}', maestroReply)).toEqual({ ok: true, value: { strategy: 'DISCARD' }, repaired: false });
  });
});

describe('problems for the model', () => {
  test('no JSON at all: REPLY_NOT_JSON quoting what came', () => {
    expect(parseJsonReply('I think SYNTAX_ONLY is best.', maestroReply)).toEqual({
      ok: false,
      problem: {
        code: 'REPLY_NOT_JSON',
        message: 'The reply is not usable JSON: it contains no JSON object. Received "I think SYNTAX_ONLY is best.". Answer with one JSON object only, optionally inside a ```json code fence, with no other text.',
      },
    });
  });

  test('an empty reply says so', () => {
    const result = parseJsonReply('   ', maestroReply);
    expect(result.ok ? '' : result.problem.message).toContain('Received an empty reply.');
  });

  test('a wrong shape: REPLY_INVALID naming each path, what was expected and what came', () => {
    const reply = '{"analysis": "x", "patches": [{"operation": "UPDATE", "file_path": "src/a.ts"}, {"operation": "INSERT"}]}';
    expect(parseJsonReply(reply, planReply)).toEqual({
      ok: false,
      problem: {
        code: 'REPLY_INVALID',
        path: 'patches[0].operation',
        message:
          'The JSON reply does not have the expected shape: at patches[0].operation: expected one of "INSERT", "REPLACE", "DELETE_BLOCK", "DIFF", received "UPDATE"; at patches[1].file_path: missing required string. Fix these fields and answer with the whole JSON object again.',
      },
    });
  });

  test('a JSON array where an object is expected', () => {
    const result = parseJsonReply('["SYNTAX_ONLY"]', maestroReply);
    expect(result).toEqual({ ok: false, problem: { code: 'REPLY_INVALID', path: '(root)', message: expect.stringContaining('at (root): expected object, received an array') } });
  });
});
