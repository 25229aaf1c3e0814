// The persistent LLM cache against the fake server answering with 300 ms latency: a miss pays
// the round trip, a hit reads .hephaestus/cache.sqlite. Both medians and their ratio.
import { rm } from 'node:fs/promises';
import pino from 'pino';
import { configSchema } from '../../agent/config/schema.js';
import { createLlmClient } from '../../agent/llm/create-llm-client.js';
import type { CompletionRequest } from '../../agent/llm/types.js';
import { startFakeLlmServer } from '../support/fake-llm-server.js';
import { makeTempDir } from '../support/temp-repo.js';
import { median, type Benchmark } from './bench-kit.js';

const LATENCY_MS = 300;
const MISSES = 6;
const HITS = 60;

const benchmark: Benchmark = {
  name: 'llm cache',
  async run() {
    const server = await startFakeLlmServer({ defaultLatencyMs: LATENCY_MS });
    const stateDir = await makeTempDir('hephaestus-bench-llm-');
    const config = configSchema.parse({ llm: { provider: 'openai', baseUrl: server.openaiBaseUrl, rateLimit: { requestsPerMinute: 10_000 } } });
    const client = await createLlmClient({ config, apiKeys: { openai: 'sk-bench-000000', anthropic: null }, stateDir, logger: pino({ level: 'silent' }) });
    const request = (index: number): CompletionRequest => ({
      role: 'main',
      purpose: 'bench',
      system: 'You are the Architect. Reply with a JSON patch plan.',
      messages: [{ role: 'user', content: `objective ${index}: ${'context line\n'.repeat(200)}` }],
    });
    const timed = async (index: number) => {
      const start = performance.now();
      await client.complete(request(index));
      return performance.now() - start;
    };
    try {
      await timed(-1); // warm-up: SDK import, SQLite connection
      const misses: number[] = [];
      for (let index = 0; index < MISSES; index++) misses.push(await timed(index));
      const hits: number[] = [];
      for (let index = 0; index < HITS; index++) hits.push(await timed(index % MISSES));
      const hit = median(hits);
      const miss = median(misses);
      return [
        { metric: `cache miss median (server latency ${LATENCY_MS} ms)`, value: miss, unit: 'ms' },
        { metric: 'cache hit median', value: hit, unit: 'ms', target: '<= 2 ms', met: hit <= 2 },
        { metric: 'miss / hit', value: miss / hit, unit: 'x' },
      ];
    } finally {
      await client.close();
      await server.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  },
};
export default benchmark;
