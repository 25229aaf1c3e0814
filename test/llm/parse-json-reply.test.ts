// Reply parsing shared by every role: JSON found in fences or prose, repaired when slightly
// malformed, validated by zod, and problems precise enough to send back to the model.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

// Architect replies recorded from real models (copied from the corpus tasks of the same name).
const recorded = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}.architect.txt`, import.meta.url)), 'utf8');
const anyPlan = z.object({ analysis: z.string(), patches: z.array(z.record(z.string(), z.unknown())) });

describe('whole candidates before repaired prefixes', () => {
  test.each([
    ['picomatch-basename-jsdoc', 1, 'a ```js fence inside a JSDoc string, prose before the fence'],
    ['ufo-has-query', 2, 'a ```js fence inside an @example block, prose before'],
    ['itsdangerous-signer-repr', 2, 'prose before a json fence'],
    ['picomatch-has-trailing-slash', 2, 'prose before a json fence'],
    ['itsdangerous-want-text', 2, 'prose before a json fence'],
  ])('%s: every patch whole, nothing repaired (%i patches; %s)', (name, patches, _what) => {
    const text = recorded(name);
    const parsed = parseJsonReply(text, anyPlan);
    const fenced = text.slice(text.indexOf('```json\n') + '```json\n'.length, text.lastIndexOf('\n```'));
    expect(parsed).toEqual({ ok: true, value: JSON.parse(fenced), repaired: false });
    expect(parsed.ok && parsed.value.patches).toHaveLength(patches);
  });

  test('the JSDoc content keeps its inner fence and every line after it', () => {
    const parsed = parseJsonReply(recorded('picomatch-basename-jsdoc'), anyPlan);
    const content = parsed.ok ? String(parsed.value.patches[0]!.content) : '';
    expect(content.split('\n').slice(0, 4)).toEqual(['/**', ' * Returns the last segment of a path, ignoring one trailing separator.', ' *', ' * ```js']);
    expect(content.endsWith('exports.basename = (path, { windows } = {}) => {')).toBe(true);
  });

  const plan = { analysis: 'a', patches: [{ operation: 'INSERT', file_path: 'a.md', content: 'x\n```js\ny\n```\n' }] };
  const planText = JSON.stringify(plan, null, 2);
  test.each([
    ['bare JSON with a fence in a string', planText],
    ['a fence followed by a trailing explanation', `\`\`\`json\n${planText}\n\`\`\`\n\nThis adds the example; \`{}\` stays as is.`],
    ['prose before and after without a fence', `Here you go: ${planText} — let me know {if} that works.`],
    ['an example fence before the answer fence', `The format is:\n\`\`\`json\n{"analysis": 1}\n\`\`\`\nMy plan:\n\`\`\`json\n${planText}\n\`\`\``],
    ['several fences, the plan in the second, prose code in the first', `Current code:\n\`\`\`js\nconst a = {b: 1};\n\`\`\`\n\`\`\`json\n${planText}\n\`\`\`\n`],
    ['the content as an array of lines containing a fence line', `\`\`\`json\n${JSON.stringify({ ...plan, patches: [{ ...plan.patches[0], content: ['x', '```js', 'y', '```'] }] }, null, 2)}\n\`\`\``],
  ])('%s', (_name, text) => {
    const parsed = parseJsonReply(text, anyPlan);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.repaired).toBe(false);
    expect(parsed.ok && parsed.value.patches).toHaveLength(1);
  });

  test('an unclosed fence is repaired only when nothing longer contains it', () => {
    expect(parseJsonReply('```json\n{"strategy": "SYNTAX_ONLY"', maestroReply)).toEqual({ ok: true, value: { strategy: 'SYNTAX_ONLY' }, repaired: true });
  });

  test('a prefix cut at an inner fence is never repaired into a shorter plan', () => {
    // The reply's JSON is broken after the inner fence (a raw newline in a string), so no candidate parses
    // whole; the repair must keep the whole content, not the part up to the inner fence.
    const text = '```json\n{"analysis": "a", "patches": [{"operation": "INSERT", "file_path": "a.md", "content": "x ```js y\nz"}]}\n```';
    const parsed = parseJsonReply(text, anyPlan);
    expect(parsed).toEqual({ ok: true, value: { analysis: 'a', patches: [{ operation: 'INSERT', file_path: 'a.md', content: 'x ```js y\nz' }] }, repaired: true });
  });
});
