// A correction objective names the objective that failed, never an earlier one: after several
// failures in one run, and in a later run whose one-off objective fails while an older
// correction is still queued.
import { describe, expect, it } from 'vitest';
import { makeNodeProject, planReply, queueObjectives, runAgent, scriptRoles, useCycleBench } from './cycle-kit.js';

const bench = useCycleBench();

/** A plan that breaks `add` in its own way (distinct plans, so no repeated-plan skip). */
function breakAdd(by: number) {
  return planReply([{ operation: 'REPLACE', file_path: 'src/math.js', block_to_replace: 'return a + b;', content: `return a + b + ${by};` }]);
}

describe('correction objectives', () => {
  it('name the objective that failed last, in the same run and in a later one', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    let attempt = 0;
    scriptRoles(bench.server, () => breakAdd(++attempt));
    await queueObjectives(repo.root, 'Tune add for small numbers', 'Tune add for large numbers');

    const first = await runAgent(repo.root, { cycles: 3 });
    expect(first.cycles.map((cycle) => [cycle.objective, cycle.reason])).toEqual([
      ['Tune add for small numbers', 'TESTS_FAILED'],
      ['Tune add for large numbers', 'TESTS_FAILED'],
      ['Correct the previous attempt at: Tune add for large numbers (it failed with TESTS_FAILED)', 'TESTS_FAILED'],
    ]);

    // The correction for "small numbers" is still queued; the one-off objective fails now.
    const second = await runAgent(repo.root, { cycles: 2, objective: 'Tune add for negative numbers' });
    expect(second.cycles.map((cycle) => [cycle.objective, cycle.reason])).toEqual([
      ['Tune add for negative numbers', 'TESTS_FAILED'],
      ['Correct the previous attempt at: Tune add for negative numbers (it failed with TESTS_FAILED)', 'TESTS_FAILED'],
    ]);
  });
});
