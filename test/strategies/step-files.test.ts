// `{files}` in typecheck, lint and command:<name> steps: the files the change writes, narrowed
// by the step's globs; every tracked file when the step checks an untouched tree.
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../agent/config/schema.js';
import { runStrategy } from '../../strategies/run-strategy.js';
import { changeSet, makeSandboxFixture, silentLogger, type SandboxFixture } from '../sandbox/support/sandbox-fixtures.js';

// A linter of our own: fails on `var` and prints the files it was given.
const LINTER = `const { readFileSync } = require('node:fs');
const files = process.argv.slice(2);
console.log('checked: ' + files.join(' '));
const bad = files.filter((file) => /\\bvar\\b/.test(readFileSync(file, 'utf8')));
if (bad.length > 0) { console.log('var in: ' + bad.join(' ')); process.exit(1); }
`;

const PROJECT = { 'lint.cjs': LINTER, 'src/a.mjs': 'export const a = 1;\n', 'src/b.mjs': 'export const b = 2;\n', 'README.md': '# r\n' };

const fixtures: SandboxFixture[] = [];
afterEach(async () => {
  for (const fixture of fixtures.splice(0)) await fixture.repo.remove();
});

async function lint(lintSettings: NonNullable<NonNullable<ConfigInput['validation']>['lint']>, changes: Map<string, string | null>, wholeTree = false) {
  const fixture = await makeSandboxFixture(PROJECT, { sandbox: { linkPaths: [] }, validation: { lint: lintSettings } });
  fixtures.push(fixture);
  const sandbox = await fixture.pool.acquire('HEAD', AbortSignal.timeout(30_000));
  await sandbox.materialize(changes);
  const strategies = { definitions: { LINT: { steps: ['lint'], sanity: null } } };
  const config = { ...fixture.config, strategies: { ...fixture.config.strategies, ...strategies } };
  const result = await runStrategy('LINT', { sandbox, changes, config, wholeTree, signal: AbortSignal.timeout(60_000), logger: silentLogger });
  return result.steps[0]!;
}

describe('{files} in a lint step', () => {
  it('passes the written files, so a bad one fails with LINT_FAILED naming it', async () => {
    const step = await lint({ command: 'node lint.cjs {files}' }, changeSet({ 'src/a.mjs': 'var a = 1;\n', 'src/b.mjs': null, 'src/c.mjs': 'export const c = 3;\n' }));
    expect([step.ok, step.reason, step.outputTail]).toEqual([false, 'LINT_FAILED', 'checked: ./src/a.mjs ./src/c.mjs\nvar in: ./src/a.mjs\n']);
  });

  it('narrows {files} by the step globs and skips the step when nothing matches', async () => {
    const narrowed = await lint({ command: 'node lint.cjs {files}', files: ['**/*.mjs'] }, changeSet({ 'src/a.mjs': 'export const a = 10;\n', 'README.md': '# var\n' }));
    expect([narrowed.ok, narrowed.outputTail]).toEqual([true, 'checked: ./src/a.mjs\n']);
    const none = await lint({ command: 'node lint.cjs {files}', files: ['**/*.mjs'] }, changeSet({ 'README.md': '# var\n' }));
    expect([none.ok, none.skipped, none.outputTail]).toEqual([true, true, 'no file to check: the change writes no file matching validation.lint.files (**/*.mjs)']);
  });

  it('passes every tracked file when it checks the untouched tree', async () => {
    const step = await lint({ command: 'node lint.cjs {files}', files: ['**/*.mjs'] }, changeSet({}), true);
    expect([step.ok, step.outputTail]).toEqual([true, 'checked: ./src/a.mjs ./src/b.mjs\n']);
  });
});
