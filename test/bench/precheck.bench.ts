// The pre-check fails fast in memory: a plan that breaks the syntax of one file in a
// 2,000-file TypeScript repository is refused without any sandbox. Side by side: the same
// pre-check on a valid plan, and what creating one worktree of that repository costs.
import { configSchema } from '../../agent/config/schema.js';
import { precheckPlan } from '../../agent/patches/precheck-plan.js';
import { makeTempRepo } from '../support/temp-repo.js';
import { median, sample, type Benchmark } from './bench-kit.js';

const DIRECTORIES = 100;
const FILES_PER_DIRECTORY = 20;
const TARGET = 'src/module-42/file-7.ts';

function moduleSource(directory: number, file: number): string {
  const lines = [`// Module ${directory}/${file}.`, `import { helper } from '../module-${(directory + 1) % DIRECTORIES}/file-0.js';`, ''];
  for (let index = 0; index < 12; index++) {
    lines.push(`export function compute${index}(value: number): number {`, `  const scaled = helper(value) * ${index + 1};`, `  return scaled > 100 ? scaled - ${index} : scaled + ${index};`, '}', '');
  }
  return lines.join('\n');
}

const benchmark: Benchmark = {
  name: 'pre-check (2,000-file repo)',
  async run() {
    const files: Record<string, string> = {};
    for (let directory = 0; directory < DIRECTORIES; directory++) {
      for (let file = 0; file < FILES_PER_DIRECTORY; file++) files[`src/module-${directory}/file-${file}.ts`] = moduleSource(directory, file);
    }
    const repo = await makeTempRepo(files);
    try {
      const config = configSchema.parse({});
      const broken = { analysis: 'breaks syntax', patches: [{ operation: 'REPLACE', file_path: TARGET, block_to_replace: '  const scaled = helper(value) * 4;', content: '  const scaled = helper(value * 4;' }] };
      const valid = { analysis: 'valid', patches: [{ operation: 'REPLACE', file_path: TARGET, block_to_replace: '  const scaled = helper(value) * 4;', content: '  const scaled = helper(value) * 5;' }] };

      const refuse = async () => {
        const result = await precheckPlan(broken, { repoRoot: repo.root, config });
        if (result.ok || result.problems[0]?.code !== 'SYNTAX_ERROR') throw new Error(`expected SYNTAX_ERROR, got ${JSON.stringify(result)}`);
      };
      const accept = async () => {
        const result = await precheckPlan(valid, { repoRoot: repo.root, config });
        if (!result.ok) throw new Error(`expected the valid plan to pass, got ${JSON.stringify(result.problems)}`);
      };
      const refused = median(await sample(refuse, 40, 3));
      const accepted = median(await sample(accept, 40, 3));
      const worktrees = (await repo.git('worktree', 'list')).split('\n').filter(Boolean).length;

      // For scale: the cheapest sandbox the pre-check spares, measured after the check above.
      const sandbox = median(
        await sample(async () => {
          await repo.git('worktree', 'add', '--detach', '-q', `${repo.root}/.hephaestus/bench-worktree`);
          await repo.git('worktree', 'remove', '--force', `${repo.root}/.hephaestus/bench-worktree`);
        }, 3, 0),
      );
      return [
        { metric: 'pre-check refusing a broken TS patch, median', value: refused, unit: 'ms', target: '<= 50 ms', met: refused <= 50 },
        { metric: 'pre-check accepting a valid TS patch, median', value: accepted, unit: 'ms' },
        { metric: 'git worktrees during pre-check (no sandbox)', value: worktrees, unit: 'count', target: '= 1 (main only)', met: worktrees === 1 },
        { metric: 'worktree add + remove, median', value: sandbox, unit: 'ms' },
        { metric: 'worktree cost / refusing pre-check', value: sandbox / refused, unit: 'x' },
      ];
    } finally {
      await repo.remove();
    }
  },
};
export default benchmark;
