// The optional review of risky plans by the light model, through the real client and the fake
// server: one round of feedback to the Architect, approval, and the cases that skip it.
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runArchitect } from '../../agent/architect/run-architect.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { planReply, setUpArchitect, type ArchitectSetup } from './architect-kit.js';

const server: FakeLlmServer = await startFakeLlmServer();
afterAll(() => server.close());

let setup: ArchitectSetup;
beforeEach(async () => {
  server.reset();
  setup = await setUpArchitect(server, { review: { enabled: true } });
});
afterEach(() => setup.dispose());

const objective = { text: 'Remove removeUser from src/users.ts: nothing calls it.' };
const REMOVE_USER = 'export async function removeUser(id: string) {\n  await db.users.delete(id);\n}\n';

const WITH_SHELL = {
  analysis: 'Delete removeUser and log the deletion with a shell command.',
  patches: [
    { operation: 'DELETE_BLOCK', file_path: 'src/users.ts', block_to_delete: REMOVE_USER },
    { operation: 'REPLACE', file_path: 'src/users.ts', block_to_replace: 'import { db } from "./db.js";', content: 'import { execSync } from "node:child_process";\nimport { db } from "./db.js";\nexecSync("echo removed");' },
  ],
};
const DELETION_ONLY = {
  analysis: 'Delete removeUser.',
  patches: [{ operation: 'DELETE_BLOCK', file_path: 'src/users.ts', block_to_delete: REMOVE_USER }],
};
const REJECTED = { text: '{"approved": false, "feedback": "Running a shell command is not part of the objective; only delete removeUser."}' };

describe('review of risky plans', () => {
  test('a risky plan rejected by the reviewer goes back to the Architect once; its second plan is approved', async () => {
    server.enqueue(planReply(WITH_SHELL), REJECTED, planReply(DELETION_ONLY), { text: '{"approved": true}' });

    const result = await runArchitect(setup.input(objective), setup.context());

    expect(result.ok && { attempts: result.attempts, plan: result.plan.analysis, reviews: result.reviews, problems: result.problemsByAttempt }).toEqual({
      attempts: 2,
      plan: 'Delete removeUser.',
      reviews: [
        { approved: false, feedback: 'Running a shell command is not part of the objective; only delete removeUser.' },
        { approved: true, feedback: null },
      ],
      problems: [[], []],
    });
    expect(server.requests.map((request) => request.body.model)).toEqual(['model-main', 'model-light', 'model-main', 'model-light']);

    const review = server.requests[1]!.body;
    expect(review.temperature).toBe(0);
    const reviewPrompt: string = review.messages[0].content;
    expect(reviewPrompt.slice(0, reviewPrompt.indexOf('## Objective'))).toBe(
      [
        'You review a patch plan that another model wrote for this repository, before it is validated',
        'in a sandbox and committed. It was sent to you because it does something risky:',
        '',
        '- src/users.ts: deletes a block of code',
        '- src/users.ts: imports child_process',
        '',
        '',
      ].join('\n'),
    );
    const diff = reviewPrompt.slice(reviewPrompt.indexOf('## The changes (unified diff)'), reviewPrompt.indexOf('Approve when'));
    expect(diff).toBe(
      [
        '## The changes (unified diff)',
        '',
        '--- a/src/users.ts',
        '+++ b/src/users.ts',
        '@@ -1,10 +1,9 @@',
        '+import { execSync } from "node:child_process";',
        ' import { db } from "./db.js";',
        '+execSync("echo removed");',
        ' ',
        ' export async function findUser(id: string) {',
        '   const row = await db.users.find(id);',
        '   return row ?? null;',
        ' }',
        ' ',
        '-export async function removeUser(id: string) {',
        '-  await db.users.delete(id);',
        '-}',
        '',
        '',
        '',
      ].join('\n'),
    );

    expect(server.requests[2]!.body.messages.slice(2)).toEqual([
      { role: 'assistant', content: JSON.stringify(WITH_SHELL, null, 2) },
      {
        role: 'user',
        content: [
          'A reviewer did not approve your patch plan. It was flagged for:',
          '- src/users.ts: deletes a block of code',
          '- src/users.ts: imports child_process',
          "Reviewer's feedback: Running a shell command is not part of the objective; only delete removeUser.",
          '',
          'Revise the plan to address this (drop risky changes the objective does not need) and answer with the whole JSON object again.',
        ].join('\n'),
      },
    ]);
  });

  test('a second rejection ends in ARCHITECT_FAILED with the reviewer’s words', async () => {
    server.enqueue(planReply(WITH_SHELL), REJECTED, planReply(WITH_SHELL), { text: '```json\n{"approved": false, "feedback": "Still runs a shell command."}\n```' });

    const result = await runArchitect(setup.input(objective), setup.context());

    expect(!result.ok && { attempts: result.attempts, detail: result.detail }).toEqual({
      attempts: 2,
      detail: [
        'no acceptable patch plan in 2 attempts (REVIEW_REJECTED; REVIEW_REJECTED)',
        'attempt 1: [REVIEW_REJECTED] Running a shell command is not part of the objective; only delete removeUser.',
        'attempt 2: [REVIEW_REJECTED] Still runs a shell command.',
      ].join('\n'),
    });
  });

  test('an unreadable review counts as not approved', async () => {
    server.enqueue(planReply(WITH_SHELL), { text: 'Looks fine to me.' }, planReply(DELETION_ONLY), { text: '{"approved": true}' });

    const result = await runArchitect(setup.input(objective), setup.context());

    expect(result.ok && result.reviews).toEqual([
      { approved: false, feedback: null },
      { approved: true, feedback: null },
    ]);
    expect(server.requests[2]!.body.messages.at(-1).content).toContain("Reviewer's feedback: (none given)");
  });

  test('a plan without risks is not reviewed', async () => {
    server.enqueue(planReply({ analysis: 'Rename.', patches: [{ operation: 'REPLACE', file_path: 'src/users.ts', block_to_replace: '  return row ?? null;', content: '  return row ?? undefined;' }] }));

    const result = await runArchitect(setup.input(objective), setup.context());

    expect({ ok: result.ok, reviews: result.reviews, models: server.requests.map((request) => request.body.model) }).toEqual({ ok: true, reviews: [], models: ['model-main'] });
  });

  test('with review disabled a risky plan is accepted without a review', async () => {
    await setup.dispose();
    setup = await setUpArchitect(server);
    server.enqueue(planReply(WITH_SHELL));

    const result = await runArchitect(setup.input(objective), setup.context());

    expect({ ok: result.ok, reviews: result.reviews, models: server.requests.map((request) => request.body.model) }).toEqual({ ok: true, reviews: [], models: ['model-main'] });
  });
});
