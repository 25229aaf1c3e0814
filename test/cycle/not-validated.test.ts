// A code change that no configured step can check is rejected as NOT_VALIDATED (only the syntax
// parse ran), unless validation.allowUnvalidated is true; a docs change needs only the parse.
import { describe, expect, it } from 'vitest';
import { makeTempRepo } from '../support/temp-repo.js';
import { MATH_SOURCE, planReply, plans, runAgent, scriptRoles, useCycleBench } from './cycle-kit.js';

const bench = useCycleBench();

/** A project with no typecheck, lint or test command and no test files. */
async function uncheckedProject(validation: Record<string, unknown> = {}) {
  const config = {
    llm: { provider: 'openai', baseUrl: bench.server.openaiBaseUrl, models: { main: 'model-main', light: 'model-light' }, retries: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } },
    sandbox: { linkPaths: [], pool: 1 },
    validation,
    strategies: { default: 'FULL_VALIDATION' },
  };
  return bench.use(await makeTempRepo({ 'package.json': '{ "name": "fixture", "type": "module", "private": true }\n', 'src/math.js': MATH_SOURCE, 'README.md': '# Fixture\n', 'hephaestus.config.json': `${JSON.stringify(config)}\n` }));
}

async function run(root: string, objective: string) {
  return (await runAgent(root, { objective })).cycles[0]!;
}

describe('NOT_VALIDATED', () => {
  it('rejects a code change that only the syntax step checked, and says how to fix it', async () => {
    const repo = await uncheckedProject();
    scriptRoles(bench.server, () => planReply(plans.addSubtract), 'FULL_VALIDATION');
    const cycle = await run(repo.root, 'Add a subtract function to src/math.js');
    expect([cycle.outcome, cycle.reason, cycle.strategy, cycle.commit]).toEqual(['rejected', 'NOT_VALIDATED', 'FULL_VALIDATION', null]);
    expect(cycle.detail).toContain('src/math.js changed, but nothing but the syntax parse checked it: every step that could check it was skipped: typecheck');
    expect(cycle.detail).toContain('set validation.allowUnvalidated to true');
    expect(await repo.git('branch', '--list', 'hephaestus/evolve')).toBe('');
  });

  it('commits it with validation.allowUnvalidated, and a docs change without it', async () => {
    const allowed = await uncheckedProject({ allowUnvalidated: true });
    scriptRoles(bench.server, () => planReply(plans.addSubtract), 'FULL_VALIDATION');
    expect((await run(allowed.root, 'Add a subtract function to src/math.js')).outcome).toBe('committed');
    await allowed.remove();

    const repo = await uncheckedProject();
    scriptRoles(bench.server, () => planReply(plans.readme), 'DOC_UPDATE');
    const docs = await run(repo.root, 'Describe the project in README.md');
    expect([docs.outcome, docs.reason, docs.strategy]).toEqual(['committed', null, 'DOC_UPDATE']);
  });
});
