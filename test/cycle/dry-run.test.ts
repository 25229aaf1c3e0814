// Dry runs through the library API, in process: the cycle plans, pre-checks and validates for
// real, reports the diff and the verdict, and writes nothing a later run would see (no branch,
// log, memory or queue change). A real commit carries the steps that ran in its trailer.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgent, type Agent, type CycleEvent, type LlmProvider } from '../../agent/index.js';
import { addObjective, readQueue } from '../../agent/objectives/objective-queue.js';
import { silentLogger } from '../llm/llm-test-kit.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';
import { MATH_SOURCE, MATH_TEST, plans, scriptedProvider, useTestScope } from './cycle-kit.js';

const scope = useTestScope();

const CONFIG = {
  llm: { provider: 'openai' as const, cache: { mode: 'off' as const } },
  sandbox: { linkPaths: [], pool: 1 },
  validation: { tests: { command: 'node --test {files}', files: ['test/**/*.test.js'], workers: 1, timeoutMs: 60_000 } },
  strategies: { default: 'SYNTAX_AND_TESTS' },
};

/** The Architect answers with `patches` (and `extra` fields), the Maestro with SYNTAX_AND_TESTS. */
function provider(patches: unknown[], extra: Record<string, unknown> = {}): LlmProvider {
  return scriptedProvider({
    architect: () => ({ analysis: 'scripted', patches, ...extra }),
    maestro: () => ({ strategy: 'SYNTAX_AND_TESTS', reason: 'scripted' }),
  });
}

async function open(patches: unknown[], events: CycleEvent[] = [], extra: Record<string, unknown> = {}): Promise<{ agent: Agent; repo: TempRepo }> {
  const repo = scope.use(await makeTempRepo({ 'package.json': '{ "name": "fixture", "type": "module", "private": true }\n', 'src/math.js': MATH_SOURCE, 'test/math.test.js': MATH_TEST }));
  await repo.write('notes.txt', 'untracked user notes\n');
  const agent = scope.use(await createAgent({ repoRoot: repo.root, config: CONFIG, provider: provider(patches, extra), logger: silentLogger, ids: () => 'run-1', onEvent: (event) => events.push(event) }));
  return { agent, repo };
}

const exists = (file: string) => stat(file).then(() => true, () => false);

describe('run --dry-run (RunCyclesOptions.dryRun)', () => {
  it('validates the change, reports its diff and verdict, and leaves branch, working tree, log, memory and queue as they were', async () => {
    const events: CycleEvent[] = [];
    const { agent, repo } = await open(plans.addSubtract, events);
    await addObjective(agent.stateDir, { text: 'Add a subtract function to src/math.js', source: 'user' });
    const queueBefore = await readQueue(agent.stateDir);

    const summary = await agent.runCycles({ cycles: 3, dryRun: true });
    expect(summary.cycles.map((cycle) => [cycle.outcome, cycle.reason, cycle.strategy, cycle.commit, cycle.steps])).toEqual([['skipped', 'DRY_RUN', 'SYNTAX_AND_TESTS', null, ['syntax', 'tests']]]);
    expect(summary.stopReason).toBe('dry run: one cycle, since nothing was committed and the next would start from the same base');
    const change = events.find((event) => event.type === 'change-validated');
    expect(change).toEqual({
      type: 'change-validated',
      n: 1,
      strategy: 'SYNTAX_AND_TESTS',
      steps: ['syntax', 'tests'],
      passed: true,
      reason: null,
      files: ['src/math.js'],
      diff: ['--- a/src/math.js', '+++ b/src/math.js', '@@ -5,3 +5,7 @@', ' export function multiply(a, b) {', '   return a * b;', ' }', '+', '+export function subtract(a, b) {', '+  return a - b;', '+}', ''].join('\n'),
    });
    expect(events.map((event) => event.type).filter((type) => !type.startsWith('phase-'))).toEqual(['run-start', 'cycle-start', 'objective-chosen', 'change-validated', 'cycle-end', 'run-end']);
    await agent.close();

    expect(await repo.git('branch', '--list', 'hephaestus/evolve')).toBe('');
    expect(await repo.git('status', '--porcelain')).toBe('?? notes.txt');
    expect(await readFile(path.join(repo.root, 'src/math.js'), 'utf8')).toBe(MATH_SOURCE);
    expect(await readQueue(agent.stateDir)).toEqual(queueBefore);
    expect(await exists(path.join(agent.stateDir, 'evolution.jsonl'))).toBe(false);
    expect(await exists(path.join(agent.stateDir, 'memory.json'))).toBe(false);
  });

  it('a change that fails validation is reported as rejected, and no correction objective or lesson is kept', async () => {
    const events: CycleEvent[] = [];
    const { agent, repo } = await open(plans.breakAdd, events);
    const [record] = (await agent.runCycles({ cycles: 1, objective: 'Rewrite add in src/math.js', dryRun: true })).cycles;
    expect([record!.outcome, record!.reason, record!.steps]).toEqual(['rejected', 'TESTS_FAILED', ['syntax', 'tests']]);
    expect(record!.detail).toContain('add sums two numbers');
    const change = events.find((event) => event.type === 'change-validated');
    expect(change && [change.passed, change.reason]).toEqual([false, 'TESTS_FAILED']);
    await agent.close();
    expect(await readQueue(agent.stateDir)).toEqual({ user: [], stack: [] });
    expect(await exists(path.join(agent.stateDir, 'memory.json'))).toBe(false);
    expect(await repo.git('branch', '--list', 'hephaestus/evolve')).toBe('');
  });

  it('a missing capability is reported, and no capacitation objective is queued', async () => {
    const { agent } = await open([], [], { capability_gap: 'read PDF files' });
    const [record] = (await agent.runCycles({ cycles: 1, objective: 'Summarise the PDF manual in the README', dryRun: true })).cycles;
    expect([record!.outcome, record!.reason, record!.detail]).toEqual(['skipped', 'CAPABILITY_GAP', 'the Architect reports a missing capability (a dry run queues no capacitation objective): read PDF files']);
    expect(await readQueue(agent.stateDir)).toEqual({ user: [], stack: [] });
  });

  it('a real run commits with a Validated-by trailer naming the steps that ran, and the record lists them', async () => {
    const { agent, repo } = await open(plans.addSubtract);
    const record = await agent.runCycle({ objective: 'Add a subtract function to src/math.js' });
    expect([record.outcome, record.steps]).toEqual(['committed', ['syntax', 'tests']]);
    // SYNTAX_AND_TESTS also names typecheck, which has no command here: it was skipped, so it is not listed.
    expect(await repo.git('log', '-1', '--format=%(trailers:key=Validated-by)', 'hephaestus/evolve')).toBe('Validated-by: syntax, tests\n');
  });
});
