// Cycles end to end on real temp repositories against the fake LLM server speaking the OpenAI
// protocol: in process through the library API; the refusal before any work and Ctrl-C go
// through the compiled CLI as a child process.
import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/run-cli.js';
import type { CycleRecord } from '../../agent/cycle/cycle-record.js';
import { makeTempRepo } from '../support/temp-repo.js';
import { MATH_SOURCE, TEST_API_KEY, makeNodeProject, planReply, plans, queueObjectives, readJsonFile, roleOf, runAgent, scriptRoles, stateFile, useCycleBench } from './cycle-kit.js';

const bench = useCycleBench();
const env = { OPENAI_API_KEY: TEST_API_KEY };

/** Pids of processes whose working directory is inside `dir` (Linux /proc), and whose command line names `argument` when given. */
async function processesUnder(dir: string, argument?: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => null);
    if (!cwd?.startsWith(dir)) continue;
    if (argument !== undefined && !(await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).includes(argument)) continue;
    pids.push(Number(entry));
  }
  return pids;
}

describe('running cycles', () => {
  it('three cycles make three commits on the evolution branch and leave user work alone', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    await repo.write('src/math.js', `${MATH_SOURCE}// work in progress, not committed\n`);
    await repo.write('notes.txt', 'untracked user notes\n');
    scriptRoles(bench.server, (objective) =>
      objective.includes('subtract function') ? planReply(plans.addSubtract) : objective.includes('test for subtract') ? planReply(plans.subtractTest) : planReply(plans.readme),
    );
    await queueObjectives(repo.root, 'Add a subtract function to src/math.js', 'Add a test for subtract', 'Describe the project in README.md');

    const summary = await runAgent(repo.root, { cycles: 3 });
    expect(summary.cycles.map((cycle) => [cycle.outcome, cycle.reason, cycle.strategy])).toEqual([
      ['committed', null, 'SYNTAX_AND_TESTS'],
      ['committed', null, 'CREATE_NEW_TEST_FILE'],
      ['committed', null, 'DOC_UPDATE'],
    ]);
    expect(summary.committed).toBe(3);
    expect(summary.cycles.map((cycle) => cycle.files)).toEqual([['src/math.js'], ['test/subtract.test.js'], ['README.md']]);

    const log = (await repo.git('log', '--format=%s', 'hephaestus/evolve')).split('\n');
    expect(log).toHaveLength(4);
    expect(log[3]).toBe('initial');
    expect(await repo.git('diff', '--stat', 'main', 'hephaestus/evolve')).toBe(
      [' README.md             | 2 ++', ' src/math.js           | 4 ++++', ' test/subtract.test.js | 7 +++++++', ' 3 files changed, 13 insertions(+)'].join('\n'),
    );
    expect(await repo.git('show', 'hephaestus/evolve:src/math.js')).toBe(`${MATH_SOURCE}\nexport function subtract(a, b) {\n  return a - b;\n}`);

    // The user's branch, index and dirty files are untouched.
    expect(await repo.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(await readFile(path.join(repo.root, 'src/math.js'), 'utf8')).toBe(`${MATH_SOURCE}// work in progress, not committed\n`);
    expect(await repo.git('status', '--porcelain')).toBe(' M src/math.js\n?? notes.txt');

    const lines = (await readFile(stateFile(repo, 'evolution.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).outcome)).toEqual(['committed', 'committed', 'committed']);
    const memory = await readJsonFile(stateFile(repo, 'memory.json'));
    expect(memory.completed.map((entry: any) => entry.objective)).toEqual([
      'Add a subtract function to src/math.js',
      'Add a test for subtract',
      'Describe the project in README.md',
    ]);
    expect(memory.strategyStats.SYNTAX_AND_TESTS).toMatchObject({ attempts: 1, successes: 1 });
    // Only the pool's worktrees exist besides the main one.
    const worktrees = (await repo.git('worktree', 'list', '--porcelain')).split('\n').filter((line) => line.startsWith('worktree '));
    expect(worktrees.slice(1).every((line) => line.includes('/.hephaestus/worktrees/'))).toBe(true);
  });

  it('a failing plan is rejected with the failing test named, and a correction objective follows', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    scriptRoles(bench.server, (objective) => (objective.startsWith('Correct the previous attempt') ? planReply(plans.addSubtract) : planReply(plans.breakAdd)));
    await queueObjectives(repo.root, 'Rewrite add in src/math.js');

    const summary = await runAgent(repo.root, { cycles: 2 });
    const [first, second] = summary.cycles as [CycleRecord, CycleRecord];
    expect(first.outcome).toBe('rejected');
    expect(first.reason).toBe('TESTS_FAILED');
    expect(first.detail).toContain('add sums two numbers');
    expect(second.objective).toBe('Correct the previous attempt at: Rewrite add in src/math.js (it failed with TESTS_FAILED)');
    expect(second.outcome).toBe('committed');
    // The correction's Architect prompt carried the failure detail.
    const architectRequests = bench.server.requests.filter((request) => roleOf(request) === 'architect');
    expect(architectRequests[1]!.system).toContain('add sums two numbers');
    expect((await repo.git('log', '--format=%s', 'hephaestus/evolve')).split('\n')).toHaveLength(2);
  });

  it('the same objective failing three times is skipped with DEGENERATIVE_LOOP', async () => {
    const repo = bench.use(await makeNodeProject(bench.server, { objectives: { maxFailures: 3 } }));
    let attempt = 0;
    // A different breaking plan each time, so the repeated-plan guard does not stop it first.
    scriptRoles(bench.server, () => planReply([{ operation: 'REPLACE', file_path: 'src/math.js', block_to_replace: 'return a + b;', content: `return a + b + ${++attempt};` }]));
    await queueObjectives(repo.root, 'Tune add', 'Tune add', 'Tune add', 'Tune add');
    const summary = await runAgent(repo.root, { cycles: 4 });
    expect(summary.cycles.map((cycle) => cycle.reason)).toEqual(['TESTS_FAILED', 'TESTS_FAILED', 'TESTS_FAILED', 'DEGENERATIVE_LOOP']);
    expect(summary.cycles[3]!.outcome).toBe('skipped');
    expect(summary.cycles[3]!.detail).toBe('this objective already failed 3 times (objectives.maxFailures = 3)');
  });

  it('recovers from a corrupt memory.json and keeps it aside', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    await repo.write('.hephaestus/memory.json', '{ not json');
    scriptRoles(bench.server, () => planReply(plans.readme));
    const summary = await runAgent(repo.root, { objective: 'Describe the project in README.md' });
    expect(summary.cycles[0]!.outcome).toBe('committed');
    const memory = await readJsonFile(stateFile(repo, 'memory.json'));
    expect(memory.completed).toHaveLength(1);
    const aside = (await repo.git('status', '--porcelain', '--ignored')).includes('.hephaestus');
    expect(aside).toBe(true);
    expect((await readdir(path.join(repo.root, '.hephaestus'))).filter((name) => name.startsWith('memory.json.corrupt-'))).toHaveLength(1);
  });

  it('--candidates 2 validates both plans and commits the one that passes', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    // The two candidates ask with different temperatures; the first gets the breaking plan.
    scriptRoles(bench.server, (_objective, request) => ((request.body?.temperature ?? 0) < 0.3 ? planReply(plans.breakAdd) : planReply(plans.addSubtract)));
    const summary = await runAgent(repo.root, { objective: 'Improve src/math.js', candidates: 2 });
    expect(summary.cycles[0]!.outcome).toBe('committed');
    expect(await repo.git('show', 'hephaestus/evolve:src/math.js')).toContain('export function subtract');
    expect(await repo.git('show', 'hephaestus/evolve:src/math.js')).toContain('return a + b;');
  });

  it('a tracked AGENTS.md is regenerated on the patched tree and committed with the change', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    expect((await runCli(['manifest', '--repo', repo.root], { env })).exitCode).toBe(0);
    await repo.commitAll('add manifest');
    scriptRoles(bench.server, () => planReply(plans.addSubtract));
    const summary = await runAgent(repo.root, { objective: 'Add a subtract function to src/math.js' });
    expect(summary.cycles[0]!.outcome).toBe('committed');
    expect(summary.cycles[0]!.files).toEqual(['AGENTS.md', 'src/math.js']);
    expect(await repo.git('show', 'hephaestus/evolve:AGENTS.md')).toContain('subtract');
    // The committed manifest is exactly what `hephaestus manifest` would write for that tree.
    await repo.git('checkout', '-q', 'hephaestus/evolve');
    expect((await runCli(['manifest', '--repo', repo.root, '--check'], { env })).exitCode).toBe(0);
  });

  it('a repository without a commit is refused before any work (exit 3)', async () => {
    const repo = bench.use(await makeTempRepo({}, { commit: false }));
    const result = await runCli(['run', '--repo', repo.root, '--offline'], { env });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe(
      `hephaestus: ${repo.root}: the repository has no commit yet, so there is nothing to evolve from. Commit your files first (git add -A && git commit -m "initial").`,
    );
  });

  it('SIGINT during validation exits 130 with memory valid and no stray worktree', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    const slowFile = `test/slow-${process.pid}-${Date.now()}.test.js`;
    await repo.write(slowFile, "import { test } from 'node:test';\ntest('slow', async () => { await new Promise((resolve) => setTimeout(resolve, 30000)); });\n");
    await repo.commitAll('slow test');
    scriptRoles(bench.server, () => planReply(plans.addSubtract));
    const child = spawnCli(['run', '--repo', repo.root, '--objective', 'Add subtract', '--json'], { env });
    const worktrees = path.join(repo.root, '.hephaestus', 'worktrees');
    // Wait until the slow test itself runs in a sandbox (earlier steps' processes come and go), then interrupt.
    const slowTest = path.basename(slowFile);
    while (child.exitCode === null && (await processesUnder(worktrees, slowTest)).length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(child.exitCode).toBeNull();
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    const memory = await readJsonFile(stateFile(repo, 'memory.json'));
    expect(memory.version).toBe(1);
    // Every process the validation started is gone.
    expect(await processesUnder(worktrees)).toEqual([]);
    const listed = (await repo.git('worktree', 'list', '--porcelain')).split('\n').filter((line) => line.startsWith('worktree '));
    expect(listed.slice(1).every((line) => line.includes('/.hephaestus/worktrees/'))).toBe(true);
    await expect(readFile(stateFile(repo, 'run.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(JSON.parse(String(result.stdout)).cycles[0].reason).toBe('ABORTED');
  });
});
