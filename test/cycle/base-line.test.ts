// A validation step that fails on the untouched base commit cannot judge a plan: the cycle ends
// BASELINE_FAILED once, naming the step and the head of its output, and the run stops there
// instead of rejecting every plan. The verdict is kept per base commit and validation config.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgent, type Agent, type ConfigInput, type LlmProvider } from '../../agent/index.js';
import { AgentMemory } from '../../agent/memory/agent-memory.js';
import { silentLogger } from '../llm/llm-test-kit.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';
import { MATH_SOURCE, MATH_TEST, plans, scriptedProvider, useTestScope } from './cycle-kit.js';

const scope = useTestScope();

const CONFIG: ConfigInput = {
  llm: { provider: 'openai', cache: { mode: 'off' } },
  sandbox: { linkPaths: [], pool: 1 },
  validation: { tests: { command: 'node --test {files}', files: ['test/**/*.test.js'], workers: 1, retryFailed: false } },
  strategies: { default: 'SYNTAX_AND_TESTS' },
};
const BROKEN_TEST = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n\ntest('the clock is set', () => {\n  assert.equal(process.env.NO_SUCH_CLOCK, 'set');\n});\n";
const OBJECTIVE = 'Add a subtract function to src/math.js';

/** The Architect always answers with `patches` (the subtract plan); the Maestro picks SYNTAX_AND_TESTS. */
function planningProvider(patches: unknown[] = plans.addSubtract): LlmProvider {
  return scriptedProvider({
    architect: () => ({ analysis: 'scripted plan', patches }),
    maestro: () => ({ strategy: 'SYNTAX_AND_TESTS' }),
    objective: () => ({ objective: OBJECTIVE }),
  });
}

async function open(repo: TempRepo, provider: LlmProvider): Promise<Agent> {
  return scope.use(await createAgent({ repoRoot: repo.root, config: CONFIG, provider, logger: silentLogger, ids: () => 'run-1' }));
}

describe('a step that fails on the base commit', () => {
  it('is reported once as BASELINE_FAILED with its output, cached for that base, and re-checked on a new base', async () => {
    const repo = scope.use(
      await makeTempRepo({
        'package.json': '{ "name": "fixture", "type": "module", "private": true }\n',
        'src/math.js': MATH_SOURCE,
        'test/math.test.js': MATH_TEST,
        'test/clock.test.js': BROKEN_TEST,
      }),
    );
    const base = await repo.git('rev-parse', 'HEAD');
    const first = await open(repo, planningProvider());
    const summary = await first.runCycles({ cycles: 3, objective: OBJECTIVE });

    expect(summary.cycles.map((cycle) => [cycle.outcome, cycle.reason, cycle.commit])).toEqual([['failed', 'BASELINE_FAILED', null]]);
    const detail = summary.cycles[0]!.detail;
    const [firstLine] = detail.split('\n');
    expect(firstLine).toBe(
      `tests fails on the untouched base commit ${base.slice(0, 12)} (TESTS_FAILED), so it cannot tell a good change from a bad one. ` +
        'Fix the repository or the command in the config (validation.tests); `hephaestus init` runs each command on the base and enables only those that pass.',
    );
    expect(detail).toContain('the clock is set');
    expect(summary.stopReason).toBe(firstLine);
    // The plan is not to blame: nothing about it is remembered as a failure.
    await first.close();
    expect((await AgentMemory.open(path.join(repo.root, '.hephaestus'), { maxEntries: 200 })).snapshot.failed).toEqual([]);
    const baseline = JSON.parse(await readFile(path.join(repo.root, '.hephaestus', 'baseline.json'), 'utf8')) as { verdicts: Array<{ step: string; baseCommit: string; ok: boolean }> };
    expect(baseline.verdicts.map((verdict) => [verdict.step, verdict.baseCommit, verdict.ok])).toEqual([['tests', base, false]]);

    // A new run on the same base knows the verdict: it says so before validating anything.
    const second = await open(repo, planningProvider());
    const again = await second.runCycle({ objective: OBJECTIVE });
    expect([again.outcome, again.reason, again.detail.split('\n')[0]]).toEqual([
      'failed',
      'BASELINE_FAILED',
      `tests fails on the untouched base commit ${base.slice(0, 12)} (TESTS_FAILED, checked before), so it cannot tell a good change from a bad one. ` +
        'Fix the repository or the command in the config (validation.tests); `hephaestus init` runs each command on the base and enables only those that pass.',
    ]);

    // The repository is fixed: a new base commit is checked afresh, and the same plan is committed.
    await repo.write('test/clock.test.js', BROKEN_TEST.replace("assert.equal(process.env.NO_SUCH_CLOCK, 'set')", 'assert.ok(true)'));
    await repo.git('commit', '-qam', 'fix the clock test');
    await second.close();
    const fixed = await (await open(repo, planningProvider())).runCycle({ objective: OBJECTIVE });
    expect([fixed.outcome, fixed.reason, fixed.files]).toEqual(['committed', null, ['src/math.js']]);
  });

  it('leaves an ordinary failure alone when the base passes', async () => {
    const repo = scope.use(await makeTempRepo({ 'package.json': '{ "name": "fixture", "type": "module", "private": true }\n', 'src/math.js': MATH_SOURCE, 'test/math.test.js': MATH_TEST }));
    const record = await (await open(repo, planningProvider(plans.breakAdd))).runCycle({ objective: 'Change add in src/math.js' });
    expect([record.outcome, record.reason]).toEqual(['rejected', 'TESTS_FAILED']);
    const baseline = JSON.parse(await readFile(path.join(repo.root, '.hephaestus', 'baseline.json'), 'utf8')) as { verdicts: Array<{ step: string; ok: boolean }> };
    expect(baseline.verdicts.map((verdict) => [verdict.step, verdict.ok])).toEqual([['tests', true]]);
  });
});
