// The Architect against the fake LLM server through the real OpenAI SDK client, on real git
// repositories: reflection with the exact problem text, failure after every attempt, repaired
// JSON, the context it reads, capability gaps, the LLM cache and abort.
import { responseSchemaOf } from '../../agent/llm/response-schema.js';
import { patchPlanSchema } from '../../agent/patches/plan-schema.js';
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runArchitect } from '../../agent/architect/run-architect.js';
import { until } from '../llm/llm-test-kit.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { makeTempDir } from '../support/temp-repo.js';
import { FILES, planReply, setUpArchitect, USERS, type ArchitectSetup } from './architect-kit.js';

const server: FakeLlmServer = await startFakeLlmServer();
afterAll(() => server.close());

let setup: ArchitectSetup;
beforeEach(async () => {
  server.reset();
  setup = await setUpArchitect(server);
});
afterEach(() => setup.dispose());

const objective = { text: 'findUser should return undefined instead of null when no user exists', files: ['src/users.ts'] };

const WRONG_BLOCK = {
  analysis: 'Return undefined.',
  patches: [{ operation: 'REPLACE', file_path: 'src/users.ts', block_to_replace: 'const row = await db.user.find(id);\nreturn row;', content: 'x' }],
};
const RIGHT_BLOCK = {
  analysis: 'Return undefined.',
  patches: [{ operation: 'REPLACE', file_path: 'src/users.ts', block_to_replace: '  return row ?? null;', content: '  return row ?? undefined;' }],
};

describe('runArchitect', () => {
  test('a wrong block is fed back with the exact problem, and the corrected plan is accepted after one reflection', async () => {
    server.enqueue(planReply(WRONG_BLOCK), planReply(RIGHT_BLOCK));

    const result = await runArchitect(setup.input(objective), setup.context());

    expect(result.ok && { attempts: result.attempts, problems: result.problemsByAttempt.map((problems) => problems.map((problem) => problem.code)), changes: result.changes }).toEqual({
      attempts: 2,
      problems: [['BLOCK_NOT_FOUND'], []],
      changes: new Map([['src/users.ts', USERS.replace('return row ?? null;', 'return row ?? undefined;')]]),
    });
    expect(server.requests).toHaveLength(2);
    const second = server.requests[1]!.body;
    expect(second.model).toBe('model-main');
    expect(second.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'patch_plan', strict: true, schema: responseSchemaOf('patch_plan', patchPlanSchema).schema } });
    expect(second.messages.slice(1)).toEqual([
      { role: 'user', content: `## Objective\n\n${objective.text}\n\nFiles: ${objective.files.join(', ')}\n\nWrite the patch plan for the objective as one JSON object.\n` },
      { role: 'assistant', content: JSON.stringify(WRONG_BLOCK, null, 2) },
      {
        role: 'user',
        content: [
          'Your patch plan was refused (attempt 1 of 3):',
          '[BLOCK_NOT_FOUND] patch #1: block not found in src/users.ts; nearest lines 4–5:',
          '4|   const row = await db.users.find(id);',
          '5|   return row ?? null;',
          '  hint: Copy the text exactly from the current file (indentation and spaces at line ends are tolerated); it must match exactly once.',
          '',
          'Fix every problem above and answer with the whole corrected JSON object (analysis and all patches). None of your patches was applied: copy block_to_replace, block_to_delete and after text exactly from the files as shown in the instructions.',
        ].join('\n'),
      },
    ]);
    // The working tree is never written by the Architect.
    expect(await setup.repo.git('status', '--porcelain')).toBe('');
  });

  test('three bad replies end in ARCHITECT_FAILED naming every attempt’s problem', async () => {
    server.enqueue(
      planReply(WRONG_BLOCK),
      planReply({ analysis: 'Broken.', patches: [{ operation: 'REPLACE', file_path: 'src/users.ts', block_to_replace: '  return row ?? null;', content: '  return (row ?? undefined;' }] }),
      planReply({ analysis: 'Elsewhere.', patches: [{ operation: 'REPLACE', file_path: '../outside.ts', block_to_replace: null, content: 'export {};' }] }),
    );

    const result = await runArchitect(setup.input(objective), setup.context());

    expect(result).toEqual({
      ok: false,
      reason: 'ARCHITECT_FAILED',
      attempts: 3,
      detail: [
        'no acceptable patch plan in 3 attempts (BLOCK_NOT_FOUND; SYNTAX_ERROR; PATH_REJECTED)',
        'attempt 1: [BLOCK_NOT_FOUND] patch #1: block not found in src/users.ts; nearest lines 4–5:',
        '4|   const row = await db.users.find(id);',
        '5|   return row ?? null;',
        'attempt 2: [SYNTAX_ERROR] syntax error in src/users.ts line 5, column 27: \')\' expected.',
        '5|   return (row ?? undefined;',
        'attempt 3: [PATH_REJECTED] patch #1: path "../outside.ts" contains a ".." segment',
      ].join('\n'),
      problemsByAttempt: [
        [expect.objectContaining({ code: 'BLOCK_NOT_FOUND', file: 'src/users.ts', patchIndex: 0 })],
        [expect.objectContaining({ code: 'SYNTAX_ERROR', file: 'src/users.ts', line: 5 })],
        [expect.objectContaining({ code: 'PATH_REJECTED', file: '../outside.ts', patchIndex: 0 })],
      ],
      reviews: [],
      contextFiles: ['src/users.ts', 'src/db.ts', 'src/api.ts'],
    });
    expect(server.requests.map((request) => request.body.messages.length)).toEqual([2, 4, 6]);
  });

  test('a refused reply is evicted from the LLM cache, the accepted one stays', async () => {
    await setup.dispose();
    const stateDir = await makeTempDir('hephaestus-state-');
    setup = await setUpArchitect(server, {}, { stateDir });
    server.enqueue(planReply(WRONG_BLOCK), planReply(RIGHT_BLOCK), planReply(WRONG_BLOCK));

    const first = await runArchitect(setup.input(objective), setup.context());
    const second = await runArchitect(setup.input(objective), setup.context());

    // The second run asks again for the evicted first reply; its reflection turn is a cache hit.
    expect({ first: first.attempts, second: second.attempts, ok: second.ok, requests: server.requests.length }).toEqual({ first: 2, second: 2, ok: true, requests: 3 });
    await rm(stateDir, { recursive: true, force: true });
  });

  test('an abort while the model is answering ends the Architect with HEPHAESTUS_ABORTED', async () => {
    server.enqueue({ fault: 'hang' });
    const controller = new AbortController();

    const pending = runArchitect(setup.input(objective), setup.context({ signal: controller.signal })).catch((error: { code: string }) => error.code);
    await until(() => server.requests.length === 1, 'the request');
    controller.abort(new Error('stop'));

    expect(await pending).toBe('HEPHAESTUS_ABORTED');
  });

  test('maxReflections 0 fails after the first refused plan', async () => {
    await setup.dispose();
    setup = await setUpArchitect(server, { architect: { maxReflections: 0 } });
    server.enqueue(planReply(WRONG_BLOCK), planReply(RIGHT_BLOCK));

    const result = await runArchitect(setup.input(objective), setup.context());

    expect({ ok: result.ok, attempts: result.attempts, requests: server.requests.length }).toEqual({ ok: false, attempts: 1, requests: 1 });
  });

  test('a plan in a ```json fence with a trailing comma is repaired and accepted', async () => {
    server.enqueue({
      text: [
        'Here is the plan:',
        '```json',
        '{"analysis": "Return undefined.", "patches": [',
        '  {"operation": "REPLACE", "file_path": "src/users.ts", "block_to_replace": "  return row ?? null;", "content": "  return row ?? undefined;"},',
        ']}',
        '```',
      ].join('\n'),
    });

    const result = await runArchitect(setup.input(objective), setup.context());

    expect(result.ok && { attempts: result.attempts, analysis: result.analysis, stats: result.stats, capabilityGap: result.capabilityGap }).toEqual({
      attempts: 1,
      analysis: 'Return undefined.',
      stats: { files: 1, changedLines: 2 },
      capabilityGap: null,
    });
  });

  test('the prompt holds the named file and its import neighbours in full, never a .env file or a secret value', async () => {
    await setup.repo.write('src/users.ts', `${USERS}// token: ${'sk-test-0123456789abcdef-SECRET'}\n`);
    server.enqueue(planReply({ analysis: 'Nothing to do.', patches: [] }));

    const lessons = [{ objective: 'Read settings from the environment', lesson: 'Keep defaults next to each setting.', reason: 'TESTS_FAILED', at: '2025-01-01T00:00:00.000Z' }];
    const input = { ...setup.input({ text: 'Read the settings of src/users.ts from .env instead of constants.', files: ['src/users.ts'] }), lessons };

    const result = await runArchitect(input, setup.context());

    expect(result.ok && result.contextFiles).toEqual(['src/users.ts', 'src/db.ts', 'src/api.ts']);
    const system: string = server.requests[0]!.body.messages[0].content;
    const files = system.slice(system.indexOf('## File contents'));
    expect(files).toBe(
      [
        '## File contents',
        '',
        '### src/users.ts (named by the objective)',
        '```',
        `${USERS}// token: [REDACTED]`,
        '```',
        '',
        '### src/db.ts (imported by a named file)',
        '```',
        'export const db = { users: { find: async (id: string) => ({ id }), delete: async (_id: string) => {} } };',
        '```',
        '',
        '### src/api.ts (imports a named file)',
        '```',
        'import { findUser } from "./users.js";',
        '',
        'export const getUser = (id: string) => findUser(id);',
        '```',
        '',
      ].join('\n'),
    );
    expect(server.requests[0]!.rawBody).not.toContain('hunter2');
    expect(server.requests[0]!.body.messages[1]).toEqual({ role: 'user', content: '## Objective\n\nRead the settings of src/users.ts from .env instead of constants.\n\nFiles: src/users.ts\n\nWrite the patch plan for the objective as one JSON object.\n' });
    expect(system).toContain('## Lessons from earlier cycles\n\n- Keep defaults next to each setting. (TESTS_FAILED, from "Read settings from the environment")\n');
  });

  test('files that do not fit the context budget are left out and listed, and the manifest is cut to half of it', async () => {
    await setup.dispose();
    const bigDb = `export const db = { users: { find: async (id: string) => ({ id }), delete: async (_id: string) => {} } };\n${'// filler line to make the file large\n'.repeat(50)}`;
    setup = await setUpArchitect(server, { architect: { contextTokens: 1_200 } }, { files: { ...FILES, 'src/db.ts': bigDb } });
    server.enqueue(planReply({ analysis: 'Nothing to do.', patches: [] }));

    const result = await runArchitect(setup.input(objective), setup.context());

    const system: string = server.requests[0]!.body.messages[0].content;
    expect(result.ok && result.contextFiles).toEqual(['src/users.ts', 'src/api.ts']);
    expect(system).toContain('Left out to fit the context budget (ask for a smaller change if you need them): src/db.ts (~502 tokens)');
    expect(system).toMatch(/\n… manifest cut to fit the context budget \(\d+ more lines\)\n/);
  });

  test('a capability_gap reply is returned as an empty plan with the gap', async () => {
    server.enqueue(planReply({ analysis: 'Users live in a remote service.', capability_gap: 'The agent cannot query a remote user service.' }));

    const result = await runArchitect(setup.input(objective), setup.context());

    expect(result).toEqual({
      ok: true,
      plan: { analysis: 'Users live in a remote service.', patches: [], capability_gap: 'The agent cannot query a remote user service.' },
      changes: new Map(),
      stats: { files: 0, changedLines: 0 },
      analysis: 'Users live in a remote service.',
      capabilityGap: 'The agent cannot query a remote user service.',
      attempts: 1,
      problemsByAttempt: [[]],
      reviews: [],
      contextFiles: ['src/users.ts', 'src/db.ts', 'src/api.ts'],
    });
  });

  test('a reply that is not JSON is fed back as PLAN_INVALID', async () => {
    server.enqueue({ text: 'I would change findUser.' }, planReply(RIGHT_BLOCK));

    const result = await runArchitect(setup.input(objective), setup.context());

    expect(result.ok && result.problemsByAttempt).toEqual([
      [
        {
          code: 'PLAN_INVALID',
          message:
            'The reply is not usable JSON: it contains no JSON object. Received "I would change findUser.". Answer with one JSON object only, optionally inside a ```json code fence, with no other text.',
        },
      ],
      [],
    ]);
  });
});
