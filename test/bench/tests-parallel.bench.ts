// Parallel tests, side by side on real node:test suites in a real sandbox:
// an I/O-bound 8-file suite (each test sleeps) with 1 vs 2 workers, and the time to reject a
// breaking patch when the affected test runs first vs when the whole suite runs.
import { pino } from 'pino';
import { configSchema } from '../../agent/config/schema.js';
import { locateRepository } from '../../agent/git/git-environment.js';
import { ensureStateDir } from '../../agent/state/state-dir.js';
import { createSandboxPool } from '../../sandbox/sandbox-pool.js';
import { runStrategy, type StrategyResult } from '../../strategies/run-strategy.js';
import type { AffectedTests } from '../../strategies/steps/step.js';
import { makeTempRepo } from '../support/temp-repo.js';
import { median, type Benchmark } from './bench-kit.js';

const logger = pino({ level: 'silent' });

const sleepingTest = (name: string, sleepMs: number, body = '') =>
  `import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { add } from '../src/math.mjs';\ntest(${JSON.stringify(name)}, async () => {\n  await new Promise((resolve) => setTimeout(resolve, ${sleepMs}));\n  ${body}\n});\n`;

/** A repository with `count` sleeping test files; `test/m00-math.test.mjs` checks add(). */
async function suite(count: number, sleepMs: number) {
  const files: Record<string, string> = { 'src/math.mjs': 'export const add = (a, b) => a + b;\n' };
  for (let index = 0; index < count; index++) {
    const name = `test/${index === Math.floor(count / 2) ? 'm00-math' : `t${String(index).padStart(2, '0')}`}.test.mjs`;
    files[name] = sleepingTest(name, sleepMs, name.includes('math') ? 'assert.equal(add(2, 3), 5);' : '');
  }
  const repo = await makeTempRepo(files);
  const stateDir = await ensureStateDir(await locateRepository(repo.root));
  const pool = createSandboxPool({ repoRoot: repo.root, stateDir, size: 1, linkPaths: [], logger });
  return { repo, pool };
}

async function validate(
  fixture: Awaited<ReturnType<typeof suite>>,
  workers: number,
  changes: Map<string, string | null>,
  affectedTests?: AffectedTests,
): Promise<{ ms: number; result: StrategyResult }> {
  // node's own file concurrency is pinned to 1, so shards are the only parallelism measured.
  const config = configSchema.parse({ validation: { tests: { command: 'node --test --test-concurrency=1 {files}', workers, retryFailed: false } } });
  const signal = AbortSignal.timeout(120_000);
  const sandbox = await fixture.pool.acquire('HEAD', signal);
  try {
    await sandbox.materialize(changes);
    const start = performance.now();
    const result = await runStrategy('TEST_FIX', { sandbox, changes, config, signal, logger, ...(affectedTests ? { affectedTests } : {}) });
    return { ms: performance.now() - start, result };
  } finally {
    fixture.pool.release(sandbox);
  }
}

async function medianOf(samples: number, run: () => Promise<{ ms: number; result: StrategyResult }>, expectOk: boolean): Promise<number> {
  const durations: number[] = [];
  for (let index = 0; index < samples; index++) {
    const { ms, result } = await run();
    if (result.ok !== expectOk) throw new Error(`unexpected validation result: ${result.reason} ${result.steps.at(-1)?.outputTail ?? ''}`);
    durations.push(ms);
  }
  return median(durations);
}

const benchmark: Benchmark = {
  name: 'parallel tests',
  async run() {
    const ioBound = await suite(8, 500);
    const breaking = await suite(16, 400);
    try {
      const none = new Map<string, string | null>();
      const oneWorker = await medianOf(3, () => validate(ioBound, 1, none), true);
      const twoWorkers = await medianOf(3, () => validate(ioBound, 2, none), true);

      const breakingPatch = new Map([['src/math.mjs', 'export const add = (a, b) => a - b;\n']]);
      const affected: AffectedTests = () => ['test/m00-math.test.mjs'];
      const fullSuite = await medianOf(3, () => validate(breaking, 2, breakingPatch), false);
      const affectedFirst = await medianOf(3, () => validate(breaking, 2, breakingPatch, affected), false);
      return [
        { metric: '8 I/O-bound test files, 1 worker median', value: oneWorker, unit: 'ms' },
        { metric: '8 I/O-bound test files, 2 workers median', value: twoWorkers, unit: 'ms' },
        { metric: 'speed-up 2 workers vs 1', value: oneWorker / twoWorkers, unit: 'x', target: '>= 1.7x', met: oneWorker / twoWorkers >= 1.7 },
        { metric: 'reject breaking patch, full suite (16 files, 2 workers)', value: fullSuite, unit: 'ms' },
        { metric: 'reject breaking patch, affected test first', value: affectedFirst, unit: 'ms' },
        { metric: 'affected-first / full suite', value: (affectedFirst / fullSuite) * 100, unit: '%', target: '<= 25%', met: affectedFirst / fullSuite <= 0.25 },
      ];
    } finally {
      await Promise.allSettled([ioBound.pool.close(), breaking.pool.close()]);
      await Promise.allSettled([ioBound.repo.remove(), breaking.repo.remove()]);
    }
  },
};
export default benchmark;
