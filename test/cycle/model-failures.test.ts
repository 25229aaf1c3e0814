// Loud model failures: a refused key stops the run at once (one failed cycle, no further call),
// for both wire protocols, and `hephaestus run` then exits 1 with one line saying what to fix;
// a cost cap (--max-cost) stops a priced run with BUDGET_EXCEEDED.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { TEST_API_KEY, makeNodeProject, planReply, plans, queueObjectives, runAgent, scriptRoles, useCycleBench } from './cycle-kit.js';

const bench = useCycleBench({ perFile: true });

function refusingProject(provider: 'openai' | 'anthropic') {
  return makeNodeProject(bench.server, {
    llm: { provider, baseUrl: provider === 'openai' ? bench.server.openaiBaseUrl : bench.server.anthropicBaseUrl, models: { main: 'model-main', light: 'model-light' }, retries: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } },
  });
}

describe('a refused key stops the run', () => {
  it.each(['openai', 'anthropic'] as const)('%s: 401 → the cycle fails with LLM_AUTH, no further call or cycle, and the stop reason says what to fix', async (provider) => {
    const repo = bench.use(await refusingProject(provider));
    bench.server.respondWith(() => ({ fault: 'status', status: 401, message: 'invalid x-api-key' }));

    const summary = await runAgent(repo.root, { cycles: 3 });

    expect({ cycles: summary.cycles.map((cycle) => [cycle.outcome, cycle.reason]), requests: bench.server.requests.length }).toEqual({ cycles: [['failed', 'LLM_AUTH']], requests: 1 });
    expect(summary.stopReason).toContain(`Check the API key in ${provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY'}`);
  });

  it('hephaestus run --json exits 1 with one line naming the refusal', async () => {
    const repo = bench.use(await refusingProject('openai'));
    bench.server.respondWith(() => ({ fault: 'status', status: 401, message: 'invalid x-api-key' }));

    const result = await runCli(['run', '--repo', repo.root, '--json', '--cycles', '3'], { env: { OPENAI_API_KEY: TEST_API_KEY }, timeoutMs: 120_000 });

    expect([result.exitCode, JSON.parse(result.stdout).cycles.map((cycle: { reason: string }) => cycle.reason), bench.server.requests.length]).toEqual([1, ['LLM_AUTH'], 1]);
    expect(result.stderr).toContain('error: LLM_AUTH: LLM refused the request: openai model "model-main"');
  });
});

describe('a cost cap', () => {
  it('a priced model yields a cost, and the run stops with BUDGET_EXCEEDED once it is spent', async () => {
    const repo = bench.use(
      await makeNodeProject(bench.server, {
        llm: { provider: 'openai', baseUrl: bench.server.openaiBaseUrl, models: { main: 'model-main', light: 'model-light' }, prices: { 'model-main': { input: 1000, output: 1000 }, 'model-light': { input: 1000, output: 1000 } } },
      }),
    );
    scriptRoles(bench.server, () => planReply(plans.addSubtract));
    await queueObjectives(repo.root, 'Add a subtract function to src/math.js');

    // What --max-cost 0.01 sets.
    const summary = await runAgent(repo.root, { cycles: 2, overrides: { llm: { budget: { costPerRun: 0.01 } } } });

    // The first call is allowed (nothing spent yet) and costs more than the cap; the Maestro then
    // falls back to the default strategy without a call, and the next cycle's objective call is refused.
    expect(summary.cycles.map((cycle) => [cycle.outcome, cycle.reason])).toEqual([['committed', null], ['failed', 'BUDGET_EXCEEDED']]);
    expect(summary.cycles[0]!.llm).toMatchObject({ calls: 1 });
    expect(summary.cycles[0]!.llm.cost).toBeGreaterThan(0.01);
    expect(summary.stopReason).toBe('LLM budget exhausted');
    expect(summary.cycles[1]!.detail).toMatch(/^LLM budget llm\.budget\.costPerRun exhausted: \$\d+\.\d{4} used of \$0\.0100\. Raise llm\.budget\.costPerRun \(or --max-cost USD\) to continue\.$/);
  });
});
