// A continuous run whose planner has nothing to do does not spin: it looks again after a pause
// that doubles with each idle cycle (from run.continuousPauseMs, at least a second, up to 30
// minutes), and goes back to the configured pause once there is work.
import { describe, expect, it } from 'vitest';
import { createAgent, type LlmProvider } from '../../agent/index.js';
import { IDLE_PAUSE_LIMIT_MS, pauseAfter } from '../../agent/cycle/run-cycles.js';
import type { Clock } from '../../agent/core/clock.js';
import { silentLogger } from '../llm/llm-test-kit.js';
import { makeTempRepo } from '../support/temp-repo.js';
import { useTestScope } from './cycle-kit.js';

const scope = useTestScope();

describe('a continuous run with nothing to do', () => {
  it('pauses longer after each idle cycle instead of asking again at once', async () => {
    const repo = scope.use(await makeTempRepo({ 'README.md': '# Notes\n' }));
    const controller = new AbortController();
    const pauses: number[] = [];
    // Time passes only through the pauses; the fourth one ends the run.
    const clock: Clock = {
      now: () => Date.now(),
      async sleep(ms) {
        if (ms < 60_000) return; // retries and rate limits, not the run's pause
        pauses.push(ms);
        if (pauses.length === 4) controller.abort();
      },
    };
    let calls = 0;
    const provider: LlmProvider = {
      name: 'scripted',
      url: 'scripted://test',
      async send() {
        calls += 1;
        return { text: '{"objective": null, "rationale": "the notes are complete"}', model: 'scripted', usage: { inputTokens: 0, outputTokens: 0 } };
      },
    };
    const agent = scope.use(
      await createAgent({ repoRoot: repo.root, config: { llm: { provider: 'openai', cache: { mode: 'off' } }, sandbox: { linkPaths: [], pool: 1 }, run: { continuousPauseMs: 60_000 } }, provider, clock, logger: silentLogger, signal: controller.signal }),
    );
    const summary = await agent.runCycles({ cycles: null });

    expect(summary.cycles.map((cycle) => cycle.reason)).toEqual(['NOTHING_TO_DO', 'NOTHING_TO_DO', 'NOTHING_TO_DO', 'NOTHING_TO_DO']);
    expect([pauses, calls, summary.stopReason]).toEqual([[60_000, 120_000, 240_000, 480_000], 4, 'interrupted']);
  });

  it('back-off figures: at least a second, doubling, capped, and the configured pause once there is work', () => {
    expect([pauseAfter(0, 0), pauseAfter(1, 0), pauseAfter(2, 0), pauseAfter(0, 30_000), pauseAfter(3, 30_000), pauseAfter(20, 30_000)]).toEqual([0, 1_000, 2_000, 30_000, 120_000, IDLE_PAUSE_LIMIT_MS]);
  });
});
