// Offline cycles end to end, no key and no server, on real temp repositories whose defects the
// TypeScript language service can see: in process through the library API; what `hephaestus run`
// says at start about its planner, through the CLI as a child process.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo } from '../support/temp-repo.js';
import { NO_API_KEYS, runAgent, useCycleBench } from '../cycle/cycle-kit.js';

const bench = useCycleBench();

function config(llm: Record<string, unknown> = {}): string {
  const value = {
    llm,
    sandbox: { linkPaths: [], pool: 1 },
    validation: { tests: { command: 'node --test {files}', files: ['test/**/*.test.js'], timeoutMs: 60_000 } },
    strategies: { default: 'SYNTAX_AND_TESTS' },
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** `hephaestus run --offline` sets llm.provider to "offline"; without it "auto" decides (no key: offline). */
function run(root: string, cycles: number, offline = false) {
  return runAgent(root, { cycles, apiKeys: NO_API_KEYS, ...(offline ? { overrides: { llm: { provider: 'offline' } } } : {}) });
}

const cyclesOf = (summary: { cycles: any[] }) => summary.cycles.map((cycle) => [cycle.outcome, cycle.reason, cycle.strategy, cycle.files, cycle.objective]);

async function sampleTests(root: string) {
  const result = await execa(process.execPath, ['--test', 'test/scores.test.js'], { cwd: root, reject: false, env: { NODE_OPTIONS: '' } });
  return result.exitCode;
}

const SCORES = `// @ts-check
import { readFileSync } from 'node:fs';

/** @returns {Promise<number[]>} */
export async function loadScores() {
  return [3, 4, 5];
}

/** @returns {Promise<number>} */
export async function best() {
  const scores = loadScores();
  return Math.max(...scores);
}
`;

const SCORES_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { best } from '../src/scores.js';

test('best is the highest score', async () => {
  assert.equal(await best(), 5);
});
`;

describe('offline cycles', () => {
  it('commits the missing await, then the unused import, with the tests passing; then has nothing to do', async () => {
    const repo = bench.use(await makeTempRepo({
      'package.json': '{ "name": "scores", "type": "module", "private": true }\n',
      'src/scores.js': SCORES,
      'test/scores.test.js': SCORES_TEST,
      'hephaestus.config.json': config(),
    }));
    expect(await sampleTests(repo.root)).toBe(1); // the missing await is a real bug

    const summary = await run(repo.root, 3, true);
    expect(cyclesOf(summary)).toEqual([
      ['committed', null, 'SYNTAX_AND_TESTS', ['src/scores.js'], 'Fix the missing `await` on `loadScores()` in `best` (src/scores.js)'],
      ['committed', null, 'SYNTAX_AND_TESTS', ['src/scores.js'], 'Remove unused import `readFileSync` from src/scores.js (cleanup)'],
      ['skipped', 'NOTHING_TO_DO', null, [], null],
    ]);
    expect(summary.committed).toBe(2);
    expect(summary.cycles.reduce((tokens, cycle) => tokens + cycle.llm.tokensIn + cycle.llm.tokensOut, 0)).toBe(0);

    expect((await repo.git('log', '--format=%s', 'main..hephaestus/evolve')).split('\n')).toEqual([
      'refactor(src): remove unused import `readFileSync` from src/scores.js',
      'fix(src): fix the missing `await` on `loadScores()` in `best`',
    ]);
    expect(await repo.git('show', 'hephaestus/evolve:src/scores.js')).toBe(SCORES.replace("import { readFileSync } from 'node:fs';\n", '').replace('const scores = loadScores();', 'const scores = await loadScores();').trimEnd());

    // The user's branch never moved; the tests pass at the tip of the evolution branch.
    expect(await repo.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(await repo.git('show', 'main:src/scores.js')).toBe(SCORES.trimEnd());
    await repo.git('checkout', '-q', 'hephaestus/evolve');
    expect(await sampleTests(repo.root)).toBe(0);
  });

  it('rejects a fix that breaks a test with TESTS_FAILED, commits nothing, and does not propose it again', async () => {
    // The "unused" import loads a module whose side effect the code relies on.
    const repo = bench.use(await makeTempRepo({
      'package.json': '{ "name": "plugins", "type": "module", "private": true }\n',
      'src/setup.js': '// Creates the plugin table when first imported.\nglobalThis.plugins = globalThis.plugins ?? [];\n\nexport function setup() {\n  return globalThis.plugins;\n}\n',
      'src/plugins.js': "import { setup } from './setup.js';\n\nexport function addPlugin(name) {\n  globalThis.plugins.push(name);\n  return globalThis.plugins.length;\n}\n",
      'test/plugins.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { addPlugin } from '../src/plugins.js';\n\ntest('addPlugin counts the plugins', () => {\n  assert.equal(addPlugin('a'), 1);\n});\n",
      'hephaestus.config.json': config({ provider: 'offline' }),
    }));
    const main = await repo.git('rev-parse', 'main');

    const summary = await run(repo.root, 2);
    expect(cyclesOf(summary)).toEqual([
      ['rejected', 'TESTS_FAILED', 'SYNTAX_AND_TESTS', ['src/plugins.js'], 'Remove unused import `setup` from src/plugins.js (cleanup)'],
      ['skipped', 'NOTHING_TO_DO', null, [], null],
    ]);
    expect(summary.committed).toBe(0);
    expect(summary.cycles[0]!.commit).toBeNull();
    expect(await repo.git('rev-parse', 'main')).toBe(main);
    expect(await repo.git('branch', '--list', 'hephaestus/evolve')).toBe('');
  });

  it('skips with NOTHING_TO_DO when the language service finds nothing to fix (auto provider, no key)', async () => {
    const repo = bench.use(await makeTempRepo({
      'package.json': '{ "name": "clean", "type": "module", "private": true }\n',
      'src/math.js': 'export function add(a, b) {\n  return a + b;\n}\n',
      'test/math.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/math.js';\n\ntest('add', () => {\n  assert.equal(add(2, 3), 5);\n});\n",
      'hephaestus.config.json': config(),
    }));

    // Three cycles asked for: the first has nothing to do, so the run stops there.
    const summary = await run(repo.root, 3);
    expect(summary.cycles.map((cycle) => [cycle.outcome, cycle.reason, cycle.objective, cycle.detail])).toEqual([
      ['skipped', 'NOTHING_TO_DO', null, 'the TypeScript language service reports nothing the offline engine can fix'],
    ]);
    expect(summary.stopReason).toBe('nothing to do');
    expect(await repo.git('branch', '--list', 'hephaestus/evolve')).toBe('');
  });

  it('says at start which planner runs and why; on a repository without TS/JS, that the offline engine does not apply', async () => {
    const repo = bench.use(await makeTempRepo({
      'src/app.py': 'def main():\n    return 1\n',
      'tests/test_app.py': 'from src.app import main\n\n\ndef test_main():\n    assert main() == 1\n',
      'hephaestus.config.json': config(),
    }));
    const result = await runCli(['run', '--repo', repo.root, '--json', '--cycles', '3'], { timeoutMs: 120_000 });
    expect(result.exitCode).toBe(0);
    expect(result.stderr.split('\n')).toContain(
      'Planner: the offline engine, because no API key and no llm.baseUrl are configured; set OPENAI_API_KEY, ANTHROPIC_API_KEY or llm.baseUrl to use a model. It makes the fixes the TypeScript language service finds in TypeScript/JavaScript files, and does not apply to other languages.',
    );
    const summary = JSON.parse(result.stdout) as { cycles: Array<{ outcome: string; reason: string; detail: string }>; stopReason: string | null };
    expect(summary.cycles.map((cycle) => [cycle.outcome, cycle.reason, cycle.detail])).toEqual([
      [
        'skipped',
        'NOTHING_TO_DO',
        'the offline engine does not apply to this repository: it fixes what the TypeScript language service finds in TypeScript/JavaScript files, and there are none; set OPENAI_API_KEY or ANTHROPIC_API_KEY (or llm.baseUrl) to use a model',
      ],
    ]);
    expect(summary.stopReason).toBe('nothing to do');
  });
});
