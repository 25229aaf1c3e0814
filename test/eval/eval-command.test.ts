// `hephaestus eval` end to end on a generated corpus: a small node:test repository as a git
// bundle, tasks scripted for the replay model (a good change, a regression the tests catch, and
// a change the hidden check catches), run by the real CLI; and Ctrl-C cleaning up.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEvalReport } from '../../agent/eval/render-eval-report.js';
import type { EvalReport } from '../../agent/eval/run-eval.js';
import { runGit } from '../../agent/git/git-environment.js';
import { runCli, spawnCli } from '../support/run-cli.js';
import { makeTempDir } from '../support/temp-repo.js';
import { makeTestCorpus, type TestCorpus } from './eval-kit.js';

const MATH = 'export function add(a, b) {\n  return a + b;\n}\n';
const MATH_TEST = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/math.js';\n\ntest('add', () => {\n  assert.equal(add(2, 3), 5);\n});\n";
const HIDDEN_TEST = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { subtract } from '../src/math.js';\n\ntest('subtract (hidden)', () => {\n  assert.equal(subtract(5, 3), 2);\n});\n";

const plan = (patches: unknown[]) => `I'll change \`src/math.js\`.\n\n\`\`\`json\n${JSON.stringify({ analysis: 'scripted', patches }, null, 2)}\n\`\`\`\n`;
const MAESTRO = '{"strategy": "FULL_VALIDATION", "reason": "run the tests"}';
const SETUP_MARKER = ['node', '-e', "require('fs').mkdirSync('node_modules', { recursive: true }); require('fs').writeFileSync('node_modules/setup-marker', 'ok')"];

let corpus: TestCorpus;
let base: string;
let out: string;

function task(name: string, fields: Record<string, unknown>) {
  return { name, repo: 'repos/math.bundle', base, setup: [SETUP_MARKER], config: null, cycles: 1, ...fields };
}

beforeAll(async () => {
  corpus = await makeTestCorpus();
  out = await makeTempDir('hephaestus-eval-out-');
  base = await corpus.addRepository('math', {
    'package.json': '{ "name": "math", "type": "module", "private": true, "scripts": { "test": "node --test" } }\n',
    '.gitignore': 'node_modules/\n',
    'src/math.js': MATH,
    'test/math.test.js': MATH_TEST,
  });
  await corpus.writeTask(
    'add-subtract',
    task('add-subtract', {
      objective: 'Add subtract(a, b) to src/math.js',
      replies: { architect: [plan([{ operation: 'INSERT', file_path: 'src/math.js', content: '\nexport function subtract(a, b) {\n  return a - b;\n}\n' }])], maestro: [MAESTRO] },
      checkFiles: { 'test/hidden.test.js': HIDDEN_TEST },
      check: [['node', '-e', "require('fs').accessSync('node_modules/setup-marker')"], ['node', '--test', 'test/hidden.test.js']],
      expect: { outcome: 'committed' },
    }),
  );
  await corpus.writeTask(
    'break-add',
    task('break-add', {
      objective: 'Rewrite add in src/math.js',
      replies: { architect: [plan([{ operation: 'REPLACE', file_path: 'src/math.js', block_to_replace: 'return a + b;', content: 'return a - b;' }])], maestro: [MAESTRO] },
      expect: { outcome: 'rejected', reason: 'TESTS_FAILED' },
    }),
  );
  await corpus.writeTask(
    'wrong-subtract',
    task('wrong-subtract', {
      objective: 'Add subtract(a, b) to src/math.js',
      replies: { architect: [plan([{ operation: 'INSERT', file_path: 'src/math.js', content: '\nexport function subtract(a, b) {\n  return b - a;\n}\n' }])], maestro: [MAESTRO] },
      checkFiles: { 'test/hidden.test.js': HIDDEN_TEST },
      check: [['node', '--test', 'test/hidden.test.js']],
      expect: { outcome: 'committed' },
    }),
  );
});
afterAll(async () => {
  await rm(corpus.root, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

describe('hephaestus eval', () => {
  it('runs each task in its own clone and judges it at the branch tip', async () => {
    const result = await runCli(['eval', corpus.root, '--jobs', '2', '--json', '--out', out], { timeoutMs: 240_000 });
    const report = JSON.parse(result.stdout) as EvalReport;
    const summary = report.tasks.map((entry) => ({
      name: entry.name,
      provider: entry.provider,
      resolved: entry.resolved,
      first: [entry.cycles[0]?.outcome, entry.cycles[0]?.reason],
      commits: entry.commits,
      suitePassed: entry.suitePassed,
      problem: entry.problem,
      stoppedAt: entry.stoppedAt,
      served: entry.repliesServed,
    }));
    const served = (architect: number, maestro: number) => ({ objective: 0, architect, maestro, review: 0, commit: 0 });
    expect(summary).toEqual([
      { name: 'add-subtract', provider: 'replay', resolved: true, first: ['committed', null], commits: 1, suitePassed: true, problem: null, stoppedAt: null, served: served(1, 1) },
      { name: 'break-add', provider: 'replay', resolved: true, first: ['rejected', 'TESTS_FAILED'], commits: 0, suitePassed: true, problem: null, stoppedAt: null, served: served(1, 1) },
      {
        name: 'wrong-subtract',
        provider: 'replay',
        resolved: false,
        first: ['committed', null],
        commits: 1,
        suitePassed: true,
        problem: 'check failed at the tip: node --test test/hidden.test.js (exit 1)',
        stoppedAt: null,
        served: served(1, 1),
      },
    ]);
    expect([report.passed, report.failed, result.exitCode]).toEqual([2, 1, 1]);
    // What init found and ran once on the untouched base.
    expect(report.tasks[0]!.init).toEqual({
      detected: { language: 'javascript', testFramework: 'node-test', typescript: false, linter: null },
      commands: [{ step: 'tests', command: 'node --test {files}', source: 'package.json script "test" (node --test)', verdict: 'passed', enabled: true, durationMs: expect.any(Number), detail: '' }],
    });
    expect(JSON.parse(await readFile(path.join(out, 'eval.json'), 'utf8'))).toEqual(report);
    expect(report.tasks[2]!.output?.split('\n')).toEqual(expect.arrayContaining(['# pass 0', '# fail 1']));

    // The commit holds the model's change only; the hidden test was written after the run.
    const clone = path.join(out, 'add-subtract', 'repo');
    const tip = report.tasks[0]!.tip!;
    expect((await runGit(clone, ['show', '--name-only', '--format=', tip])).stdout.trim()).toBe('src/math.js');
    expect((await runGit(clone, ['show', `${tip}:src/math.js`])).stdout).toBe(`${MATH}\nexport function subtract(a, b) {\n  return a - b;\n}`);
    // The request log shows what the model was asked and answered, verbatim.
    const requests = (await readFile(path.join(out, 'add-subtract', 'requests.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(requests.map((entry) => [entry.request.purpose, entry.reply.text])).toEqual([
      ['architect', JSON.parse(await readFile(path.join(corpus.root, 'tasks', 'add-subtract.json'), 'utf8')).replies.architect[0]],
      ['maestro', MAESTRO],
    ]);
    expect(requests[0].request.system).not.toContain('subtract (hidden)');

    const table = renderEvalReport(report);
    expect(table.at(-1)).toBe('2 passed, 1 failed');
    expect(table.slice(0, 2).map((line) => line.split(/\s{2,}/).slice(0, 6))).toEqual([
      ['task', 'provider', 'first cycle', 'resolved', 'commits', 'suite'],
      [expect.stringMatching(/^-+$/), expect.stringMatching(/^-+$/), expect.stringMatching(/^-+$/), expect.stringMatching(/^-+$/), expect.stringMatching(/^-+$/), expect.stringMatching(/^-+$/)],
    ]);
    expect(table).toContain('wrong-subtract: check failed at the tip: node --test test/hidden.test.js (exit 1)');
  });

  it('Ctrl-C stops the tasks, kills their commands and removes the temporary clones', async () => {
    const temporary = await makeTempDir('hephaestus-eval-tmp-');
    try {
      const blocking = ['node', '-e', "require('fs').writeFileSync('setup-started', String(process.pid)); setInterval(() => {}, 1000)"];
      const file = await corpus.writeTask('blocked', task('blocked', { objective: 'never reached', setup: [blocking], expect: { outcome: 'committed' } }));
      const child = spawnCli(['eval', file], { env: { TMPDIR: temporary } });
      let marker: string | null = null;
      for (let waited = 0; waited < 60_000 && marker === null; waited += 100) {
        const [root] = await readdir(temporary);
        marker = root === undefined ? null : await readFile(path.join(temporary, root, 'blocked', 'repo', 'setup-started'), 'utf8').catch(() => null);
        if (marker === null) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(marker).not.toBeNull();
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode).toBe(130);
      expect(String(result.stdout).split('\n').at(-1)).toBe('0 passed, 1 failed');
      expect(await readdir(temporary)).toEqual([]);
      expect(() => process.kill(Number(marker), 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    } finally {
      await rm(path.join(corpus.root, 'tasks', 'blocked.json'), { force: true });
      await rm(temporary, { recursive: true, force: true });
    }
  });
});
