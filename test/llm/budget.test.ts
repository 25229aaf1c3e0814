// Accounting and budgets: tokens and cost per call, per cycle (a meter) and per run; an
// exhausted budget stops the next call with BUDGET_EXCEEDED before anything is sent.
import { afterAll, beforeEach, expect, test } from 'vitest';
import { createUsageMeter } from '../../agent/llm/usage-meter.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { ask, clientFor, errorOf } from './llm-test-kit.js';

const server: FakeLlmServer = await startFakeLlmServer();
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.respondWith(() => ({ text: 'ok', usage: { inputTokens: 60, outputTokens: 40 } }));
});

test('a cycle meter at its token limit stops the next call of that cycle only', async () => {
  const { client } = await clientFor(server);
  const cycle = createUsageMeter({ tokenLimit: 150 });

  await client.complete(ask('first', { meter: cycle }));
  await client.complete(ask('second', { meter: cycle }));
  const error = await errorOf(client.complete(ask('third', { meter: cycle })));
  const nextCycle = await client.complete(ask('fourth', { meter: createUsageMeter({ tokenLimit: 150 }) }));

  expect(error).toEqual({
    code: 'BUDGET_EXCEEDED',
    message: 'LLM budget llm.budget.tokensPerCycle exhausted: 200 tokens used of 150 tokens. Raise the limit in hephaestus.config.json to continue.',
    details: { budget: 'tokensPerCycle', used: 200, limit: 150 },
  });
  expect(cycle.totals).toEqual({ calls: 2, cacheHits: 0, cachedTokensIn: 0, tokensIn: 120, tokensOut: 80, cost: 0 });
  expect([nextCycle.text, server.requests.length]).toEqual(['ok', 3]);
  await client.close();
});

test('tokensPerRun stops every further call of the client', async () => {
  const { client } = await clientFor(server, { budget: { tokensPerRun: 100 } });
  await client.complete(ask('first'));
  const error = await errorOf(client.complete(ask('second')));
  expect([error.code, error.details.budget, server.requests.length]).toEqual(['BUDGET_EXCEEDED', 'tokensPerRun', 1]);
  await client.close();
});

test('costPerRun uses the price table of the model that answered', async () => {
  const { client } = await clientFor(server, { budget: { costPerRun: 0.002 }, prices: { 'model-main': { input: 10, output: 20 } } });
  const first = await client.complete(ask('first')); // 60 * 10 + 40 * 20 = 1400 per million
  const second = await client.complete(ask('second'));
  const error = await errorOf(client.complete(ask('third')));
  expect([first.cost, second.cost]).toEqual([0.0014, 0.0014]);
  expect(error.message).toBe('LLM budget llm.budget.costPerRun exhausted: $0.0028 used of $0.0020. Raise llm.budget.costPerRun (or --max-cost USD) to continue.');
  expect(client.usage()).toEqual({ calls: 2, cacheHits: 0, cachedTokensIn: 0, tokensIn: 120, tokensOut: 80, cost: 0.0028 });
  await client.close();
});
