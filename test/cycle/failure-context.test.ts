// A plan's failure is remembered with what it was validated against: after the lint command is
// changed in the config, the same plan for the same objective is validated again (and committed)
// instead of being skipped as REPEATED_PLAN.
import { describe, expect, it } from 'vitest';
import { makeNodeProject, planReply, plans, projectConfig, runAgent, scriptRoles, useCycleBench } from './cycle-kit.js';

const bench = useCycleBench();

async function runOnce(root: string, objective: string): Promise<[string, string | null]> {
  const cycle = (await runAgent(root, { cycles: 1, objective })).cycles[0]!;
  return [cycle.outcome, cycle.reason];
}

/** A lint rule of the project: no file may mention `word`, unless `--allow=word` is given. */
const LINT_SCRIPT = `import { readFileSync } from 'node:fs';
const allowed = process.argv.filter((arg) => arg.startsWith('--allow=')).map((arg) => arg.slice(8));
const files = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const banned = ['subtract'].filter((word) => !allowed.includes(word));
const bad = files.filter((file) => banned.some((word) => readFileSync(file, 'utf8').includes(word)));
for (const file of bad) console.error(file + ': mentions a banned word');
process.exit(bad.length > 0 ? 1 : 0);
`;

function lintedConfig(lint: string): string {
  return projectConfig(bench.server, { validation: { lint: { command: lint, files: ['src/**/*.js'] }, tests: { command: 'node --test {files}', files: ['test/**/*.test.js'], workers: 1 } } });
}

describe('failed plans and what they were validated against', () => {
  it('retries the same plan once the validation config changed', async () => {
    // The base passes the lint rule; the plan does not, until the config relaxes the rule.
    const repo = bench.use(await makeNodeProject(bench.server));
    await repo.write('scripts/lint.mjs', LINT_SCRIPT);
    await repo.write('hephaestus.config.json', lintedConfig('node scripts/lint.mjs {files}'));
    await repo.git('add', '-A');
    await repo.git('commit', '-qm', 'lint rule');
    scriptRoles(bench.server, () => planReply(plans.addSubtract), 'FULL_VALIDATION');
    const objective = 'Add a subtract function to src/math.js';
    expect(await runOnce(repo.root, objective)).toEqual(['rejected', 'LINT_FAILED']);
    // The same base and config: the plan is known to fail there.
    expect(await runOnce(repo.root, objective)).toEqual(['skipped', 'REPEATED_PLAN']);

    await repo.write('hephaestus.config.json', lintedConfig('node scripts/lint.mjs --allow=subtract {files}'));
    expect(await runOnce(repo.root, objective)).toEqual(['committed', null]);
  });
});
