// The Architect's prompt is laid out for the providers' prompt caches: two consecutive
// Architect requests of one run on the bench repository share most of their bytes as a prefix,
// the Anthropic request marks the static and manifest blocks with cache_control, and the cached
// input tokens the server reports reach the cycle record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../agent/index.js';
import { configPlan, project } from '../bench/cycle.bench.js';
import { roleOf } from '../cycle/cycle-kit.js';
import { keysFor, silentLogger } from '../llm/llm-test-kit.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { promptTextOf, sharedPrefixShare } from '../support/prompt-prefix.js';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(async () => {
  await server.close();
});

/** Two cycles on the bench repository; the Architect's replies report 1,500 cached input tokens. */
async function runTwoCycles(protocol: 'openai' | 'anthropic') {
  server.reset();
  let objectives = 0;
  let plans = 0;
  server.respondWith((request) => {
    if (roleOf(request) === 'objective') return { text: JSON.stringify({ objective: `Add setting number ${++objectives}`, files: [] }) };
    return { text: configPlan(`setting-${++plans}`), usage: { inputTokens: 2_000, cachedInputTokens: 1_500, outputTokens: 50 } };
  });
  const repo = await project();
  const agent = await createAgent({
    repoRoot: repo.root,
    config: {
      llm: { provider: protocol, baseUrl: protocol === 'openai' ? server.openaiBaseUrl : server.anthropicBaseUrl, models: { main: 'model-main', light: 'model-light' }, cache: { mode: 'off' } },
      sandbox: { linkPaths: [], pool: 1 },
      validation: { tests: { command: 'node --test {files}', files: ['test/**/*.test.js'], workers: 1 } },
      run: { continuousPauseMs: 0 },
    },
    apiKeys: keysFor(protocol),
    logger: silentLogger,
    ids: () => 'prompt-caching',
  });
  try {
    const summary = await agent.runCycles({ cycles: 2 });
    return { summary, architect: server.requests.filter((request) => roleOf(request) === 'architect') };
  } finally {
    await agent.close();
    await repo.remove();
  }
}

describe.each(['openai', 'anthropic'] as const)('Architect prompts over %s', (protocol) => {
  it('two consecutive Architect requests share at least 80 % of the shorter prompt as a prefix; cached tokens reach the cycle record', async () => {
    const { summary, architect } = await runTwoCycles(protocol);

    expect(summary.cycles.map((cycle) => [cycle.outcome, cycle.llm.cachedTokensIn])).toEqual([
      ['committed', 1_500],
      ['committed', 1_500],
    ]);
    expect(architect).toHaveLength(2);
    const [first, second] = architect.map(promptTextOf);
    // The objective differs, and it comes last.
    expect(first).not.toBe(second);
    expect(first!.endsWith('## Objective\n\nAdd setting number 1\n\nWrite the patch plan for the objective as one JSON object.\n')).toBe(true);
    expect(sharedPrefixShare(first!, second!)).toBeGreaterThanOrEqual(0.8);

    if (protocol === 'anthropic') {
      const blocks = architect[1]!.body.system as Array<{ text: string; cache_control?: unknown }>;
      expect(blocks.map((block) => block.cache_control ?? null)).toEqual([{ type: 'ephemeral' }, { type: 'ephemeral' }, null]);
      expect(blocks[0]!.text.startsWith('You are the Architect')).toBe(true);
      expect(blocks[1]!.text.startsWith('\n\n## Repository manifest (AGENTS.md)\n\n')).toBe(true);
      expect(blocks[2]!.text.startsWith('\n\n## Lessons from earlier cycles\n\n')).toBe(true);
    }
  });
});
