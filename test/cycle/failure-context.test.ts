// A plan's failure is remembered with what it was validated against: after the test command is
// fixed in the config, the same plan for the same objective is validated again (and committed)
// instead of being skipped as REPEATED_PLAN.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import type { TempRepo } from '../support/temp-repo.js';
import { TEST_API_KEY, makeNodeProject, planReply, plans, projectConfig, scriptRoles } from './cycle-kit.js';

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

async function runOnce(objective: string): Promise<[string, string | null]> {
  const result = await runCli(['run', '--repo', repo.root, '--json', '--cycles', '1', '--objective', objective], { env, timeoutMs: 120_000 });
  if (result.exitCode !== 0) throw new Error(`run exited ${result.exitCode}: ${result.stderr}`);
  const cycle = (JSON.parse(result.stdout) as { cycles: Array<{ outcome: string; reason: string | null }> }).cycles[0]!;
  return [cycle.outcome, cycle.reason];
}

describe('failed plans and what they were validated against', () => {
  it('retries the same plan once the validation config changed', async () => {
    // A test command that cannot work: every plan fails, whatever it does.
    repo = await makeNodeProject(server, { validation: { tests: { command: 'node --no-such-flag --test {files}', files: ['test/**/*.test.js'], workers: 1, retryFailed: false } } });
    scriptRoles(server, () => planReply(plans.addSubtract));
    const objective = 'Add a subtract function to src/math.js';
    expect(await runOnce(objective)).toEqual(['rejected', 'TESTS_FAILED']);
    // The same base and config: the plan is known to fail there.
    expect(await runOnce(objective)).toEqual(['skipped', 'REPEATED_PLAN']);

    await repo.write('hephaestus.config.json', projectConfig(server));
    expect(await runOnce(objective)).toEqual(['committed', null]);
  });
});
