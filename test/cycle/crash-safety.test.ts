// Crash safety: `hephaestus run` child processes killed with SIGKILL at random moments, each
// followed by a normal run (in process).
// Every time: memory parses, only the pool's worktrees exist, the user's dirty files are
// intact, and every commit on the branch passes the project's tests.
import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySchema } from '../../agent/memory/memory-schema.js';
import { spawnCli } from '../support/run-cli.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { makeTempDir, type TempRepo } from '../support/temp-repo.js';
import { MATH_SOURCE, TEST_API_KEY, makeNodeProject, planReply, runAgent, scriptRoles, stateFile } from './cycle-kit.js';

let server: FakeLlmServer;
let repo: TempRepo;
const env = { OPENAI_API_KEY: TEST_API_KEY };
const DIRTY = `${MATH_SOURCE}// the user's unsaved experiment\n`;

beforeAll(async () => {
  server = await startFakeLlmServer();
  repo = await makeNodeProject(server);
  await repo.write('src/math.js', DIRTY);
  let plan = 0;
  // Every third plan breaks a test; the others add a new function.
  scriptRoles(server, () => {
    plan += 1;
    return plan % 3 === 0
      ? planReply([{ operation: 'REPLACE', file_path: 'src/math.js', block_to_replace: 'return a * b;', content: `return a * b + ${plan};` }])
      : planReply([{ operation: 'INSERT', file_path: 'src/math.js', content: `\nexport function answer${plan}() {\n  return ${plan};\n}\n` }]);
  });
});
afterAll(async () => {
  await server.close();
  await repo.remove();
});

async function assertInvariants() {
  const memoryText = await readFile(stateFile(repo, 'memory.json'), 'utf8').catch(() => null);
  if (memoryText !== null) expect(memorySchema.safeParse(JSON.parse(memoryText)).success).toBe(true);
  const worktrees = (await repo.git('worktree', 'list', '--porcelain')).split('\n').filter((line) => line.startsWith('worktree ')).slice(1);
  for (const worktree of worktrees) expect(worktree).toMatch(/\/\.hephaestus\/worktrees\/\d+$/);
  expect(await readFile(path.join(repo.root, 'src/math.js'), 'utf8')).toBe(DIRTY);
  expect(await repo.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
}

describe('crash safety', () => {
  it('ten runs killed with SIGKILL, each followed by a normal run, lose nothing and commit only validated work', async () => {
    for (let round = 0; round < 10; round++) {
      const child = spawnCli(['run', '--repo', repo.root, '--objective', `Grow src/math.js, round ${round}`, '--json'], { env });
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.floor(Math.random() * 2_000)));
      child.kill('SIGKILL');
      await child;
      await assertInvariants();

      const normal = await runAgent(repo.root, { objective: `Grow src/math.js, normal ${round}` });
      expect(['committed', 'rejected', 'skipped']).toContain(normal.cycles[0]!.outcome);
      await assertInvariants();
    }

    // Every commit on the branch passes the tests (its strategy's test step).
    const commits = (await repo.git('rev-list', 'main..hephaestus/evolve')).split('\n').filter(Boolean);
    expect(commits.length).toBeGreaterThan(3);
    const checkout = await makeTempDir('hephaestus-verify-');
    for (const commit of commits) {
      await execa('sh', ['-c', `git -C ${repo.root} archive ${commit} | tar -x -C ${checkout}`]);
      const tests = await execa('node', ['--test', 'test/'], { cwd: checkout, reject: false });
      expect(tests.exitCode, `${commit}: ${tests.stdout}`).toBe(0);
    }
  }, 600_000);
});
