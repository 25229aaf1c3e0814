// Loud model failures end to end: a refused key stops `hephaestus run` at once with exit 1
// (also --ci), for both wire protocols; --max-cost stops a priced run with BUDGET_EXCEEDED.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import type { TempRepo } from '../support/temp-repo.js';
import { TEST_API_KEY, makeNodeProject, planReply, plans, scriptRoles } from './cycle-kit.js';

const server: FakeLlmServer = await startFakeLlmServer();
let repo: TempRepo;
afterEach(async () => {
  server.reset();
  await repo?.remove();
});
afterAll(() => server.close());

describe('a refused key stops the run', () => {
  it.each([
    ['openai', [] as string[]],
    ['openai', ['--ci']],
    ['anthropic', []],
  ] as const)('%s %s: 401 → the cycle fails with LLM_AUTH, no further call or cycle, exit 1, one line saying what to fix', async (provider, flags) => {
    repo = await makeNodeProject(server, {
      llm: { provider, baseUrl: provider === 'openai' ? server.openaiBaseUrl : server.anthropicBaseUrl, models: { main: 'model-main', light: 'model-light' }, retries: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } },
    });
    server.respondWith(() => ({ fault: 'status', status: 401, message: 'invalid x-api-key' }));
    const env = provider === 'openai' ? { OPENAI_API_KEY: TEST_API_KEY } : { ANTHROPIC_API_KEY: TEST_API_KEY };

    const result = await runCli(['run', '--repo', repo.root, '--json', '--cycles', '3', ...flags], { env, timeoutMs: 120_000 });

    const summary = JSON.parse(result.stdout);
    expect({ exitCode: result.exitCode, cycles: summary.cycles.map((cycle: any) => [cycle.outcome, cycle.reason]), requests: server.requests.length }).toEqual({
      exitCode: 1,
      cycles: [['failed', 'LLM_AUTH']],
      requests: 1,
    });
    const key = provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
    expect(summary.stopReason).toContain(`Check the API key in ${key}`);
    expect(result.stderr).toContain(`error: LLM_AUTH: LLM refused the request: ${provider} model "model-main"`);
  });
});

describe('--max-cost', () => {
  it('a priced model yields a cost, and the run stops with BUDGET_EXCEEDED once it is spent', async () => {
    repo = await makeNodeProject(server, {
      llm: { provider: 'openai', baseUrl: server.openaiBaseUrl, models: { main: 'model-main', light: 'model-light' }, prices: { 'model-main': { input: 1000, output: 1000 }, 'model-light': { input: 1000, output: 1000 } } },
    });
    scriptRoles(server, () => planReply(plans.addSubtract));
    const env = { OPENAI_API_KEY: TEST_API_KEY };
    await runCli(['objective', 'add', 'Add a subtract function to src/math.js', '--repo', repo.root], { env });

    const result = await runCli(['run', '--repo', repo.root, '--json', '--cycles', '2', '--max-cost', '0.01'], { env, timeoutMs: 120_000 });

    const summary = JSON.parse(result.stdout);
    // The first call is allowed (nothing spent yet) and costs more than the cap; the Maestro then
    // falls back to the default strategy without a call, and the next cycle's objective call is refused.
    expect(summary.cycles.map((cycle: any) => [cycle.outcome, cycle.reason])).toEqual([['committed', null], ['failed', 'BUDGET_EXCEEDED']]);
    expect(summary.cycles[0].llm).toMatchObject({ calls: 1 });
    expect(summary.cycles[0].llm.cost).toBeGreaterThan(0.01);
    expect(summary.stopReason).toBe('LLM budget exhausted');
    expect(result.exitCode).toBe(0);
    expect(summary.cycles[1].detail).toMatch(/^LLM budget llm\.budget\.costPerRun exhausted: \$\d+\.\d{4} used of \$0\.0100\. Raise llm\.budget\.costPerRun \(or --max-cost USD\) to continue\.$/);
  });
});
