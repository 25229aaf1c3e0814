// A code change that no configured step can check is rejected as NOT_VALIDATED (only the syntax
// parse ran), unless validation.allowUnvalidated is true; a docs change needs only the parse.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';
import { MATH_SOURCE, TEST_API_KEY, planReply, plans, scriptRoles } from './cycle-kit.js';

let server: FakeLlmServer;
let repo: TempRepo;
const env = { OPENAI_API_KEY: TEST_API_KEY };
beforeEach(async () => {
  server = await startFakeLlmServer();
});
afterEach(async () => {
  await server.close();
  await repo?.remove();
});

/** A project with no typecheck, lint or test command and no test files. */
async function uncheckedProject(validation: Record<string, unknown> = {}) {
  const config = {
    llm: { provider: 'openai', baseUrl: server.openaiBaseUrl, models: { main: 'model-main', light: 'model-light' }, retries: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } },
    sandbox: { linkPaths: [], pool: 1 },
    validation,
    strategies: { default: 'FULL_VALIDATION' },
  };
  return makeTempRepo({ 'package.json': '{ "name": "fixture", "type": "module", "private": true }\n', 'src/math.js': MATH_SOURCE, 'README.md': '# Fixture\n', 'hephaestus.config.json': `${JSON.stringify(config)}\n` });
}

async function run(objective: string) {
  const result = await runCli(['run', '--repo', repo.root, '--json', '--objective', objective], { env, timeoutMs: 120_000 });
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout).cycles[0] as { outcome: string; reason: string | null; strategy: string; detail: string; commit: string | null };
}

describe('NOT_VALIDATED', () => {
  it('rejects a code change that only the syntax step checked, and says how to fix it', async () => {
    repo = await uncheckedProject();
    scriptRoles(server, () => planReply(plans.addSubtract), 'FULL_VALIDATION');
    const cycle = await run('Add a subtract function to src/math.js');
    expect([cycle.outcome, cycle.reason, cycle.strategy, cycle.commit]).toEqual(['rejected', 'NOT_VALIDATED', 'FULL_VALIDATION', null]);
    expect(cycle.detail).toContain('src/math.js changed, but nothing but the syntax parse checked it: every step that could check it was skipped: typecheck');
    expect(cycle.detail).toContain('set validation.allowUnvalidated to true');
    expect(await repo.git('branch', '--list', 'hephaestus/evolve')).toBe('');
  });

  it('commits it with validation.allowUnvalidated, and a docs change without it', async () => {
    repo = await uncheckedProject({ allowUnvalidated: true });
    scriptRoles(server, () => planReply(plans.addSubtract), 'FULL_VALIDATION');
    expect((await run('Add a subtract function to src/math.js')).outcome).toBe('committed');
    await repo.remove();

    repo = await uncheckedProject();
    scriptRoles(server, () => planReply(plans.readme), 'DOC_UPDATE');
    const docs = await run('Describe the project in README.md');
    expect([docs.outcome, docs.reason, docs.strategy]).toEqual(['committed', null, 'DOC_UPDATE']);
  });
});
