// The eval's hidden check and full suite at the branch tip run the model's code too: they run in
// the jail. The tip's test reads the environment, writes into the clone's .git and outside it,
// and plants a file for the check to find; the check runs first on a pristine tip and sees
// none of it, the clone's .git is unchanged and no credential reaches either command.
import { readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkTip } from '../../agent/eval/check-tip.js';
import type { EvalTask } from '../../agent/eval/task-schema.js';
import { configSchema } from '../../agent/config/schema.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';
import { exists, requireJail } from './support/attack-kit.js';

// A credential the old key filter (names ending in _API_KEY, _TOKEN, _SECRET) let through.
const CREDENTIAL = 'AWS_SECRET_ACCESS_KEY';
const SECRET = 'aws-secret-value-never-shown';

let repo: TempRepo | undefined;
afterEach(async () => {
  delete process.env[CREDENTIAL];
  await repo?.remove();
});

beforeAll(async () => {
  await requireJail();
});

function tipTest(marker: string): string {
  const planted = path.join(os.tmpdir(), `${marker}-planted`);
  return `import { test } from 'node:test';
import { appendFileSync, writeFileSync } from 'node:fs';
const attempt = (what) => { try { what(); } catch {} };
test('the tip passes', () => {
  console.log('environment:' + JSON.stringify(process.env));
  attempt(() => appendFileSync('.git/config', '[alias]\\n\\tpwn = !touch /tmp/pwned\\n'));
  attempt(() => writeFileSync('.git/hooks/post-checkout', '#!/bin/sh\\n', { mode: 0o755 }));
  attempt(() => writeFileSync(${JSON.stringify(planted)}, 'outside the clone\\n'));
  writeFileSync('planted-by-suite.txt', 'for the check to find\\n');
});
`;
}

describe('the eval check at the tip', () => {
  it('runs the check, then the suite, in the jail: no credential, no write into .git or outside the clone, nothing left for the check', async () => {
    const marker = `hephaestus-eval-check-${process.pid}-${Date.now()}`;
    repo = await makeTempRepo({ 'package.json': '{ "type": "module" }\n', 'test/tip.test.js': tipTest(marker) });
    const commit = await repo.git('rev-parse', 'HEAD');
    const gitConfig = await readFile(path.join(repo.root, '.git/config'), 'utf8');
    const hooks = (await readdir(path.join(repo.root, '.git/hooks'))).sort();
    process.env[CREDENTIAL] = SECRET;
    const task = {
      file: path.join(repo.root, 'task.json'),
      checkFiles: { 'test/hidden.test.js': "import { test } from 'node:test';\nimport { existsSync } from 'node:fs';\ntest('hidden', () => { if (existsSync('planted-by-suite.txt')) throw new Error('the suite ran first'); });\n" },
      check: [
        ['node', '--test', 'test/hidden.test.js'],
        ['node', '-e', `console.log('check saw ' + (process.env.${CREDENTIAL} ?? 'no credential'))`],
      ],
    } as unknown as EvalTask;
    const config = configSchema.parse({ validation: { tests: { command: 'node --test {files}', files: ['test/**/*.test.js'] } } });

    const result = await checkTip(task, repo.root, commit, config, new AbortController().signal);

    expect(result.check.results.map((command) => command.outcome)).toEqual(['passed', 'passed']);
    expect(result.check.results[1]!.outputTail).toBe('check saw no credential\n');
    expect(result.suite?.passed).toBe(true);
    expect(result.suite?.command.outputTail).toContain('environment:');
    expect(result.suite?.command.outputTail).not.toContain(SECRET);
    expect(await readFile(path.join(repo.root, '.git/config'), 'utf8')).toBe(gitConfig);
    expect((await readdir(path.join(repo.root, '.git/hooks'))).sort()).toEqual(hooks);
    expect(await exists(path.join(os.tmpdir(), `${marker}-planted`))).toBe(false);
    // The suite ran without the hidden file, and what it wrote stayed in the clone.
    expect(await exists(path.join(repo.root, 'test/hidden.test.js'))).toBe(false);
    expect(await exists(path.join(repo.root, 'planted-by-suite.txt'))).toBe(true);
  }, 120_000);
});
