// `status` and `log` (the CLI, as a child process) read back what a real run recorded; the run
// itself goes in process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../agent/cli/commands/log-command.js';
import { runCli } from '../support/run-cli.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import type { TempRepo } from '../support/temp-repo.js';
import { TEST_API_KEY, makeNodeProject, planReply, plans, queueObjectives, runAgent, scriptRoles } from './cycle-kit.js';

let server: FakeLlmServer;
let repo: TempRepo;
const env = { OPENAI_API_KEY: TEST_API_KEY };

beforeAll(async () => {
  server = await startFakeLlmServer();
  repo = await makeNodeProject(server);
  scriptRoles(server, (objective) => (objective.includes('subtract') ? planReply(plans.addSubtract) : planReply(plans.breakAdd)));
  await queueObjectives(repo.root, 'Add a subtract function', 'Rewrite add', 'Describe it in README.md');
  expect((await runAgent(repo.root, { cycles: 2 })).cycles).toHaveLength(2);
});
afterAll(async () => {
  await server.close();
  await repo.remove();
});

describe('status and log', () => {
  it('status --json reports the cycles, strategies, queue, cache and budget', async () => {
    const result = await runCli(['status', '--repo', repo.root, '--json'], { env });
    expect(result.exitCode).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status.branch.name).toBe('hephaestus/evolve');
    expect(status.branch.aheadOfHead).toBe(1);
    expect(status.lastCycles.map((cycle: any) => [cycle.outcome, cycle.reason])).toEqual([
      ['committed', null],
      ['rejected', 'TESTS_FAILED'],
    ]);
    expect(status.strategies.SYNTAX_AND_TESTS).toEqual({ attempts: 2, successes: 1, failures: 1, totalMs: expect.any(Number), rate: 0.5 });
    // The README objective is still queued; the failure pushed a correction on the stack.
    expect(status.queue.user.map((entry: any) => entry.text)).toEqual(['Describe it in README.md']);
    expect(status.queue.stack.map((entry: any) => entry.text)).toEqual(['Correct the previous attempt at: Rewrite add (it failed with TESTS_FAILED)']);
    expect(status.cache.namespaces.llm.entries).toBeGreaterThan(0);
    // Architect + Maestro, then Architect alone: the Maestro's decision is reused for the same plan shape.
    expect(status.budget.lastRun).toMatchObject({ cycles: 2, calls: 3 });
    expect(server.requests).toHaveLength(3);
    expect(status.memory).toBe('ok');
  });

  it('status prints the same facts for a person', async () => {
    const result = await runCli(['status', '--repo', repo.root], { env });
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^Branch hephaestus\/evolve at [0-9a-f]{12} \(1 commit ahead of HEAD\)$/);
    expect(lines).toContain('  SYNTAX_AND_TESTS       1/2 (50%)');
    expect(lines).toContain('  1. [user] Describe it in README.md');
    expect(lines).toContain('  2. [correction] Correct the previous attempt at: Rewrite add (it failed with TESTS_FAILED)');
  });

  it('log --csv has the documented columns and one row per cycle, with the run, its id, the cost and the files', async () => {
    const result = await runCli(['log', '--repo', repo.root, '--csv'], { env });
    const [header, ...rows] = result.stdout.split('\n');
    expect(header).toBe(
      'run,run_id,cycle,objective,outcome,reason,strategy,started_at,finished_at,duration_ms,objective_ms,manifest_ms,architect_ms,precheck_ms,maestro_ms,validation_ms,commit_ms,llm_calls,cache_hits,tokens_in,tokens_out,cached_tokens_in,cost_usd,files,commit',
    );
    expect(CSV_COLUMNS).toHaveLength(25);
    expect(rows).toHaveLength(2);
    const first = rows[0]!.split(',');
    expect(first[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect([first[0], ...first.slice(2, 7)]).toEqual(['1', '1', 'Add a subtract function', 'committed', '', 'SYNTAX_AND_TESTS']);
    expect(first.slice(21, 24)).toEqual(['0', '0.000000', 'src/math.js']);
    expect(first[24]).toMatch(/^[0-9a-f]{40}$/);
    const second = rows[1]!.split(',');
    expect([second[0], second[1] === first[1], ...second.slice(2, 6)]).toEqual(['1', true, '2', 'Rewrite add', 'rejected', 'TESTS_FAILED']);
  });

  it('log numbers runs and cycles: "run 1 · cycle 2"', async () => {
    const result = await runCli(['log', '--repo', repo.root], { env });
    expect(result.stdout.split('\n').map((line) => /^run \d+ · cycle \d+/.exec(line)?.[0])).toEqual(['run 1 · cycle 1', 'run 1 · cycle 2']);
  });

  it('log --json --limit 1 returns the last record; --json with --csv is a usage error', async () => {
    const last = await runCli(['log', '--repo', repo.root, '--json', '--limit', '1'], { env });
    expect(JSON.parse(last.stdout).map((record: any) => record.n)).toEqual([2]);
    const both = await runCli(['log', '--repo', repo.root, '--json', '--csv'], { env });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toBe('hephaestus: --json and --csv cannot be combined; pick one output format.');
  });
});
