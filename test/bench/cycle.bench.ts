// The agent's own overhead in a cycle, side by side with the work it waits for: the fake LLM
// server answers in 500 ms and the project's suite takes about 1 s.
//  - cycle wall time vs (Architect latency + test time): target ≤ 1.25× (the next objective is
//    generated while the current cycle validates, so its latency is hidden);
//  - --candidates 4 vs --candidates 1: target ≤ 1.5× (plans and sandboxes run concurrently);
//  - how long memory.save() blocks its caller: target ≤ 1 ms (writes happen behind).
import { execa } from 'execa';
import pino from 'pino';
import { configSchema } from '../../agent/config/schema.js';
import { createAgent } from '../../agent/index.js';
import { createLlmClient } from '../../agent/llm/create-llm-client.js';
import { AgentMemory } from '../../agent/memory/agent-memory.js';
import { writeFileAtomic } from '../../agent/state/atomic-write.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { makeTempDir, makeTempRepo, type TempRepo } from '../support/temp-repo.js';
import { median, sample, type Benchmark } from './bench-kit.js';

const LATENCY_MS = 500;
const SLOW_TEST = "import { test } from 'node:test';\ntest('takes a second', async () => { await new Promise((resolve) => setTimeout(resolve, 1000)); });\n";
const logger = process.env.BENCH_DEBUG ? pino({ level: 'debug' }, pino.destination('/tmp/bench-cycle.log')) : pino({ level: 'silent' });

/** A plan the Maestro's rules decide (CONFIG_UPDATE: syntax, then the tests), so the cycle
 *  runs exactly the project's suite and makes no Maestro call. */
export function configPlan(name: string) {
  return JSON.stringify({
    analysis: 'adds a setting',
    patches: [{ operation: 'REPLACE', file_path: `config/${name}.json`, block_to_replace: null, content: `{ "name": "${name}" }\n` }],
  });
}

export async function project(): Promise<TempRepo> {
  return makeTempRepo({
    'package.json': '{ "type": "module" }\n',
    'src/value.js': 'export const value = 1;\n',
    'test/slow.test.js': SLOW_TEST,
  });
}

export async function runOnce(server: FakeLlmServer, repo: TempRepo, options: { cycles: number; candidates: number; objective?: string; isolation?: 'auto' | 'bwrap' | 'none' }) {
  const config = {
    llm: { provider: 'openai' as const, baseUrl: server.openaiBaseUrl, models: { main: 'model-main', light: 'model-light' }, cache: { mode: 'off' as const } },
    sandbox: { linkPaths: [], pool: options.candidates, isolation: options.isolation ?? ('auto' as const) },
    validation: { tests: { command: 'node --test {files}', files: ['test/**/*.test.js'], workers: 2 } },
    run: { continuousPauseMs: 0 },
  };
  const cycleTimes: number[] = [];
  let cycleStart = performance.now();
  const agent = await createAgent({
    repoRoot: repo.root,
    config,
    apiKeys: { openai: 'sk-bench-000000', anthropic: null },
    logger,
    ids: () => 'bench',
    sandboxes: options.candidates,
    onEvent: (event) => {
      if (event.type === 'cycle-start') cycleStart = performance.now();
      if (event.type === 'cycle-end') {
        if (event.record.outcome !== 'committed') throw new Error(`bench cycle ${event.n} ended ${event.record.outcome}: ${event.record.reason} ${event.record.detail}`);
        cycleTimes.push(performance.now() - cycleStart);
        if (process.env.BENCH_DEBUG) process.stderr.write(`${JSON.stringify(event.record.durationsMs)} ${event.record.strategy}\n`);
      }
    },
  });
  const started = performance.now();
  await agent.runCycles({ cycles: options.cycles, candidates: options.candidates, ...(options.objective ? { objective: options.objective } : {}) });
  const total = performance.now() - started;
  await agent.close();
  return { total, cycleTimes };
}

const benchmark: Benchmark = {
  name: 'cycle',
  async run() {
    const server = await startFakeLlmServer({ defaultLatencyMs: LATENCY_MS });
    let planNumber = 0;
    server.respondWith((request) => {
      if (request.system.startsWith('You are the strategist')) return { text: JSON.stringify({ objective: `Add setting number ${planNumber + 1}`, files: [] }) };
      planNumber += 1;
      return { text: configPlan(`setting-${planNumber}-${Math.round((request.body?.temperature ?? 0) * 10)}`) };
    });
    try {
      // The work the cycle waits for, measured here in the same run.
      const repoForTests = await project();
      const testTime = median(await sample(() => execa('node', ['--test', 'test/slow.test.js'], { cwd: repoForTests.root }), 3, 1));
      await repoForTests.remove();
      // An Architect call's latency as the client sees it (the server waits 500 ms; timers and
      // HTTP add a little on this machine), measured the same way the cycle makes it.
      const probe = await createLlmClient({
        config: configSchema.parse({ llm: { provider: 'openai', baseUrl: server.openaiBaseUrl, cache: { mode: 'off' } } }),
        apiKeys: { openai: 'sk-bench-000000', anthropic: null },
        stateDir: null,
        logger,
      });
      const architectLatency = median(
        await sample(() => probe.complete({ role: 'main', purpose: 'architect', system: 'You are the Architect', messages: [{ role: 'user', content: 'plan' }] }), 3, 1),
      );
      await probe.close();
      planNumber = 0;

      const pipelined = await project();
      const { cycleTimes } = await runOnce(server, pipelined, { cycles: 4, candidates: 1 });
      await pipelined.remove();
      // Cycle 1 also waits for its objective; later cycles find it generated already.
      const steady = median(cycleTimes.slice(1));
      const floor = architectLatency + testTime;

      // One cycle with a one-off objective, with 1 and with 4 candidate plans, alternated.
      const oneRuns: number[] = [];
      const fourRuns: number[] = [];
      for (let round = 0; round < 2; round++) {
        for (const [candidates, into] of [[1, oneRuns], [4, fourRuns]] as const) {
          const repo = await project();
          into.push(...(await runOnce(server, repo, { cycles: 1, candidates, objective: 'Add a setting' })).cycleTimes);
          await repo.remove();
        }
      }
      const one = median(oneRuns);
      const four = median(fourRuns);

      const stateDir = await makeTempDir();
      const memory = await AgentMemory.open(stateDir, { maxEntries: 200 });
      for (let index = 0; index < 200; index++) {
        memory.recordFailed({ objective: `objective ${index}`, strategy: 'FULL_VALIDATION', reason: 'TESTS_FAILED', detail: 'x'.repeat(1_500), planHash: null });
      }
      const saveBlocks = median(await sample(() => memory.save(), 200, 5));
      await memory.flush();
      const syncWrite = median(await sample(() => writeFileAtomic(`${stateDir}/copy.json`, JSON.stringify(memory.snapshot, null, 2)), 20, 2));

      return [
        { metric: 'test suite alone, median', value: testTime, unit: 'ms' },
        { metric: `Architect call at ${LATENCY_MS} ms server latency, median`, value: architectLatency, unit: 'ms' },
        { metric: 'Architect latency + test time', value: floor, unit: 'ms' },
        { metric: 'cycle wall time (cycles 2-4), median', value: steady, unit: 'ms' },
        { metric: 'cycle wall / (Architect + tests)', value: steady / floor, unit: 'x', target: '<= 1.25x', met: steady / floor <= 1.25 },
        { metric: '--candidates 1 cycle, median', value: one, unit: 'ms' },
        { metric: '--candidates 4 cycle, median', value: four, unit: 'ms' },
        { metric: 'candidates 4 / candidates 1', value: four / one, unit: 'x', target: '<= 1.5x', met: four / one <= 1.5 },
        { metric: 'memory.save() blocks the caller, median', value: saveBlocks, unit: 'ms', target: '<= 1 ms', met: saveBlocks <= 1 },
        { metric: 'the write it defers (temp + fsync + rename), median', value: syncWrite, unit: 'ms' },
      ];
    } finally {
      await server.close();
    }
  },
};
export default benchmark;
