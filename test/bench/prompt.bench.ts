// What the model path costs per cycle, for a 3-cycle run of the bench repository against the
// fake server (Anthropic wire protocol), side by side in one run:
//  - input tokens per cycle (the server counts about one token per four bytes of the request);
//  - of each cycle's Architect prompt, the share that is a byte-identical prefix of the one
//    before it (what the providers' prompt caches can reuse): target >= 80 %;
//  - of all input bytes of a cycle, the share repeated from the previous request of the same role;
//  - calls per cycle by role.
import pino from 'pino';
import { createAgent } from '../../agent/index.js';
import { roleOf, type Role } from '../cycle/cycle-kit.js';
import { startFakeLlmServer, type RecordedRequest } from '../support/fake-llm-server.js';
import { promptTextOf, sharedPrefixBytes, sharedPrefixShare } from '../support/prompt-prefix.js';
import type { Benchmark, BenchRow } from './bench-kit.js';
import { configPlan, project } from './cycle.bench.js';

const CYCLES = 3;
const ROLES: readonly Role[] = ['objective', 'architect', 'maestro', 'review', 'other'];

const benchmark: Benchmark = {
  name: 'prompts',
  async run() {
    const server = await startFakeLlmServer();
    let objectives = 0;
    let plans = 0;
    server.respondWith((request) => {
      if (roleOf(request) === 'objective') return { text: JSON.stringify({ objective: `Add setting number ${++objectives}`, files: [] }) };
      return { text: configPlan(`setting-${++plans}`) };
    });
    const repo = await project();
    // Requests that arrived while each cycle ran (a look-ahead objective counts for the cycle it arrived in).
    const firstRequestOf: number[] = [];
    const agent = await createAgent({
      repoRoot: repo.root,
      config: {
        llm: { provider: 'anthropic', baseUrl: server.anthropicBaseUrl, models: { main: 'model-main', light: 'model-light' }, cache: { mode: 'off' } },
        sandbox: { linkPaths: [], pool: 1 },
        validation: { tests: { command: 'node --test {files}', files: ['test/**/*.test.js'], workers: 1 } },
        run: { continuousPauseMs: 0 },
      },
      apiKeys: { openai: null, anthropic: 'sk-ant-bench-000000' },
      logger: pino({ level: 'silent' }),
      ids: () => 'bench',
      onEvent: (event) => {
        if (event.type === 'cycle-start') firstRequestOf[event.n - 1] = server.requests.length;
      },
    });
    try {
      const summary = await agent.runCycles({ cycles: CYCLES });
      const rows: BenchRow[] = [];
      const previousOfRole = new Map<Role, RecordedRequest>();
      let previousArchitect: string | null = null;
      for (const [index, cycle] of summary.cycles.entries()) {
        if (cycle.outcome !== 'committed') throw new Error(`bench cycle ${index + 1} ended ${cycle.outcome}: ${cycle.reason} ${cycle.detail}`);
        const requests = server.requests.slice(index === 0 ? 0 : firstRequestOf[index], firstRequestOf[index + 1] ?? server.requests.length);
        let bytes = 0;
        let repeated = 0;
        for (const request of requests) {
          const role = roleOf(request);
          const text = promptTextOf(request);
          const before = previousOfRole.get(role);
          bytes += Buffer.byteLength(text);
          if (before !== undefined) repeated += sharedPrefixBytes(promptTextOf(before), text);
          previousOfRole.set(role, request);
        }
        const n = index + 1;
        rows.push({ metric: `cycle ${n}: input tokens`, value: cycle.llm.tokensIn, unit: 'count' });
        const architect = requests.filter((request) => roleOf(request) === 'architect').map(promptTextOf);
        if (previousArchitect !== null && architect[0] !== undefined) {
          const share = sharedPrefixShare(previousArchitect, architect[0]) * 100;
          rows.push({ metric: `cycle ${n}: Architect prompt shared with cycle ${n - 1}'s`, value: share, unit: '%', target: '>= 80 %', met: share >= 80 });
        }
        previousArchitect = architect.at(-1) ?? previousArchitect;
        rows.push({ metric: `cycle ${n}: input bytes repeated from the previous call of the role`, value: bytes === 0 ? 0 : (repeated / bytes) * 100, unit: '%' });
        for (const role of ROLES) {
          const calls = requests.filter((request) => roleOf(request) === role).length;
          if (calls > 0) rows.push({ metric: `cycle ${n}: ${role} calls`, value: calls, unit: 'count' });
        }
      }
      return rows;
    } finally {
      await agent.close();
      await repo.remove();
      await server.close();
    }
  },
};
export default benchmark;
