// `hephaestus run` as a child process: --jsonl streams the library's events one JSON object a
// line, --dry-run shows the diff and the verdict and commits nothing, --candidates is capped.
import { describe, expect, it } from 'vitest';
import type { CycleEvent } from '../../agent/index.js';
import { runCli } from '../support/run-cli.js';
import { TEST_API_KEY, makeNodeProject, planReply, plans, scriptRoles, stateFile, useCycleBench } from '../cycle/cycle-kit.js';
import { stat } from 'node:fs/promises';

const bench = useCycleBench();
const env = { OPENAI_API_KEY: TEST_API_KEY };

const SUBTRACT_DIFF = ['--- a/src/math.js', '+++ b/src/math.js', '@@ -5,3 +5,7 @@', ' export function multiply(a, b) {', '   return a * b;', ' }', '+', '+export function subtract(a, b) {', '+  return a - b;', '+}'];

describe('hephaestus run', () => {
  it('--jsonl --dry-run: every stdout line is one event, in order; the branch and the working tree are untouched', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    await repo.write('notes.txt', 'untracked user notes\n');
    scriptRoles(bench.server, () => planReply(plans.addSubtract));
    const result = await runCli(['run', '--repo', repo.root, '--jsonl', '--dry-run', '--objective', 'Add a subtract function to src/math.js'], { env, timeoutMs: 120_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    const events = result.stdout.split('\n').map((line) => JSON.parse(line) as CycleEvent);
    const types = events.map((event) => event.type);
    expect(types.filter((type) => !type.startsWith('phase-'))).toEqual(['run-start', 'cycle-start', 'objective-chosen', 'change-validated', 'cycle-end', 'run-end']);
    // Every phase that started ended, in the order of the cycle.
    const phases = (type: string) => events.flatMap((event) => (event.type === type && 'phase' in event ? [event.phase] : []));
    expect(phases('phase-start')).toEqual(['manifest', 'objective', 'architect', 'precheck', 'maestro', 'validation']);
    expect([...phases('phase-end')].sort()).toEqual([...phases('phase-start')].sort());
    const change = events.find((event) => event.type === 'change-validated');
    expect(change).toMatchObject({ n: 1, strategy: 'SYNTAX_AND_TESTS', steps: ['syntax', 'tests'], passed: true, reason: null, files: ['src/math.js'] });
    expect(change && 'diff' in change ? change.diff.trimEnd().split('\n') : null).toEqual(SUBTRACT_DIFF);
    const end = events.at(-2);
    expect(end?.type === 'cycle-end' ? [end.record.outcome, end.record.reason, end.record.commit] : null).toEqual(['skipped', 'DRY_RUN', null]);
    expect(events.at(-1)).toMatchObject({ type: 'run-end', cycles: 1, committed: 0, branch: 'hephaestus/evolve' });
    // The sentence for people goes to stderr, so stdout holds only events.
    expect(result.stderr).toContain('1 cycle(s): 0 committed to hephaestus/evolve, 0 rejected, 0 failed.');

    expect(await repo.git('branch', '--list', 'hephaestus/evolve')).toBe('');
    expect(await repo.git('status', '--porcelain')).toBe('?? notes.txt');
    expect(await stat(stateFile(repo, 'evolution.jsonl')).then(() => true, () => false)).toBe(false);
  });

  it('--dry-run prints the diff and the verdict on stdout', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    scriptRoles(bench.server, () => planReply(plans.addSubtract));
    const result = await runCli(['run', '--repo', repo.root, '--dry-run', '--objective', 'Add a subtract function to src/math.js'], { env, timeoutMs: 120_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, SUBTRACT_DIFF.length + 1)).toEqual([
      ...SUBTRACT_DIFF,
      'Dry run, cycle 1: SYNTAX_AND_TESTS passed (syntax, tests ran); this change would be committed. Nothing was committed.',
    ]);
    expect(lines.at(-1)).toMatch(/^1 cycle\(s\): 0 committed to hephaestus\/evolve, 0 rejected, 0 failed\. LLM: 2 calls, .* Dry run: no branch, log, memory or queue was written\.$/);
    expect(await repo.git('branch', '--list', 'hephaestus/evolve')).toBe('');
  });

  it('refuses more --candidates than twice the sandbox pool, and --json with --jsonl (exit 2)', async () => {
    const repo = bench.use(await makeNodeProject(bench.server)); // sandbox.pool is 2
    const many = await runCli(['run', '--repo', repo.root, '--candidates', '1000'], { env });
    expect(many).toMatchObject({ exitCode: 2, stdout: '' });
    expect(many.stderr).toBe(
      'hephaestus: --candidates 1000 is more than 4, the limit for sandbox.pool = 2 (each candidate is validated in a sandbox of its own; at most twice the pool). Use --candidates 4 or fewer, or raise sandbox.pool (up to 16).',
    );
    const both = await runCli(['run', '--repo', repo.root, '--json', '--jsonl'], { env });
    expect([both.exitCode, both.stderr]).toEqual([2, 'hephaestus: --json and --jsonl cannot be combined: --jsonl streams the events, --json prints one object at the end; pick one.']);
    expect(bench.server.requests).toEqual([]);
  });
});
