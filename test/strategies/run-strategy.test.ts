// Strategies and steps on real node:test suites in real sandboxes: reasons, output tails,
// skipped steps, affected-first fail-fast, shards with a flaky re-run, timeouts that leave
// no process behind, and commands run without network.
import { createServer } from 'node:net';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../agent/config/schema.js';
import { runStrategy, type StrategyContext } from '../../strategies/run-strategy.js';
import { changeSet, makeSandboxFixture, pidsWithArgument, silentLogger, waitFor, type SandboxFixture } from '../sandbox/support/sandbox-fixtures.js';

// The project's own TypeScript runs the typecheck; it lies outside the sandboxed repository (and
// may be under /tmp, which the jail replaces), so it is shared read-only like a package store.
const TYPESCRIPT = path.resolve('node_modules/typescript');
const TSC = path.join(TYPESCRIPT, 'bin/tsc');

/** A node:test file; `body` runs inside the test named `name`. */
const nodeTest = (name: string, body: string, imports = '') =>
  `import { test } from 'node:test';\nimport assert from 'node:assert';\n${imports}\ntest(${JSON.stringify(name)}, async () => {\n${body}\n});\n`;

const PROJECT = {
  'src/math.mjs': 'export const add = (a, b) => a + b;\n',
  'test/math.test.mjs': nodeTest('adds numbers', 'assert.equal(add(2, 3), 5);', "import { add } from '../src/math.mjs';"),
  'test/other.test.mjs': nodeTest('other passes', 'assert.ok(true);'),
};

const fixtures: SandboxFixture[] = [];
afterEach(async () => {
  for (const fixture of fixtures.splice(0)) await fixture.repo.remove();
});

async function prepare(files: Record<string, string>, configInput: ConfigInput, changes: Map<string, string | null>) {
  const fixture = await makeSandboxFixture(files, { sandbox: { linkPaths: [], readOnlyPaths: [TYPESCRIPT] }, ...configInput });
  fixtures.push(fixture);
  const sandbox = await fixture.pool.acquire('HEAD', AbortSignal.timeout(30_000));
  await sandbox.materialize(changes);
  const context: StrategyContext = { sandbox, changes, config: fixture.config, signal: AbortSignal.timeout(120_000), logger: silentLogger };
  return { ...fixture, sandbox, context };
}

const summary = (steps: Array<{ step: string; ok: boolean; reason: string | null; skipped?: boolean }>) => steps.map((step) => `${step.step}:${step.skipped ? 'skipped' : step.ok ? 'ok' : step.reason}`);
const testsConfig = (tests: NonNullable<NonNullable<ConfigInput['validation']>['tests']>): ConfigInput => ({ validation: { tests: { workers: 2, retryFailed: false, ...tests } } });
const exists = (file: string) => access(file).then(() => true, () => false);

describe('runStrategy', () => {
  it('passes a good change: syntax, then typecheck (skipped, not configured), then tests', async () => {
    const changes = changeSet({ 'src/math.mjs': 'export const add = (a, b) => b + a;\n' });
    const { context } = await prepare(PROJECT, testsConfig({ command: 'node --test {files}' }), changes);
    const result = await runStrategy('SYNTAX_AND_TESTS', context);
    expect([result.ok, result.reason, result.failedStep, summary(result.steps)]).toEqual([true, null, null, ['syntax:ok', 'typecheck:skipped', 'tests:ok']]);
    expect(result.steps[1]!.outputTail).toBe('no command configured (validation.typecheck.command)');
  });

  it('fails a breaking change with TESTS_FAILED and the failing test named in the output tail', async () => {
    const changes = changeSet({ 'src/math.mjs': 'export const add = (a, b) => a - b;\n' });
    const { context } = await prepare(PROJECT, testsConfig({ command: 'node --test {files}' }), changes);
    const result = await runStrategy('FULL_VALIDATION', context);
    expect([result.ok, result.reason, result.failedStep, summary(result.steps)]).toEqual([false, 'TESTS_FAILED', 'tests', ['syntax:ok', 'typecheck:skipped', 'lint:skipped', 'tests:TESTS_FAILED']]);
    expect(result.steps[3]!.outputTail).toMatch(/^not ok 1 - adds numbers$/m);
  });

  it('stops at a syntax error before any command runs', async () => {
    const changes = changeSet({ 'src/math.mjs': 'export const add = (a, b) => a +;\n' });
    const { context } = await prepare(PROJECT, testsConfig({ command: 'node --test {files}' }), changes);
    const result = await runStrategy('FULL_VALIDATION', context);
    expect([result.reason, summary(result.steps)]).toEqual(['SYNTAX_ERROR', ['syntax:SYNTAX_ERROR']]);
    expect(result.steps[0]!.outputTail).toMatch(/^src\/math\.mjs:1:\d+: /);
  });

  it('fails a type error with TYPECHECK_FAILED and shares incremental build info between sandboxes', async () => {
    const files = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', target: 'es2022', types: [] }, include: ['src'] }),
      'src/total.ts': 'export function total(values: number[]): number {\n  return values.reduce((sum, value) => sum + value, 0);\n}\n',
    };
    const changes = changeSet({ 'src/total.ts': 'export function total(values: number[]): string {\n  return values.reduce((sum, value) => sum + value, 0);\n}\n' });
    const { context, stateDir } = await prepare(files, { validation: { typecheck: { command: ['node', TSC, '--noEmit', '-p', '.'] } } }, changes);
    const result = await runStrategy('SYNTAX_AND_TESTS', context);
    // typecheck and tests start together after syntax; tests has no command here, so it is skipped.
    expect([result.reason, summary(result.steps)]).toEqual(['TYPECHECK_FAILED', ['syntax:ok', 'typecheck:TYPECHECK_FAILED', 'tests:skipped']]);
    expect(result.steps[1]!.outputTail).toMatch(/^src\/total\.ts\(2,3\): error TS2322: Type 'number' is not assignable to type 'string'\.$/m);
    expect(await readdir(path.join(stateDir, 'tsbuildinfo'))).toEqual(['shared.tsbuildinfo']);
    // tsc names the sources relative to the build info, which sits at the same place in every
    // sandbox: the shared copy names no sandbox, so it is valid in each of them.
    const shared = await readFile(path.join(stateDir, 'tsbuildinfo', 'shared.tsbuildinfo'), 'utf8');
    expect([shared.includes('"../src/total.ts"'), shared.includes('worktrees')]).toEqual([true, false]);
  });

  it('times out a hanging test with STEP_TIMEOUT and leaves no process behind', async () => {
    const marker = `hephaestus-hang-${process.pid}-${Date.now()}`;
    // The helper leaves the runner's session and working directory: only the jail still holds it.
    const hanging = nodeTest(
      'hangs',
      [
        `spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ${JSON.stringify(marker)}], { stdio: 'ignore', detached: true, cwd: '/' }).unref();`,
        "writeFileSync('helper-started', 'yes');",
        'await new Promise(() => setInterval(() => {}, 1000));',
      ].join('\n'),
      "import { spawn } from 'node:child_process';\nimport { writeFileSync } from 'node:fs';",
    );
    const changes = changeSet({ 'test/hang.test.mjs': hanging });
    const { context, sandbox } = await prepare(PROJECT, testsConfig({ command: 'node --test {files}', timeoutMs: 3_000 }), changes);
    const result = await runStrategy('CREATE_NEW_TEST_FILE', context);
    expect([result.reason, summary(result.steps)]).toEqual(['STEP_TIMEOUT', ['syntax:ok', 'typecheck:skipped', 'tests:STEP_TIMEOUT']]);
    expect(await exists(path.join(sandbox.root, 'helper-started'))).toBe(true);
    await waitFor(async () => (await pidsWithArgument(marker)).length === 0, 5_000);
  });

  it('runs the steps after syntax in parallel and cancels the others at the first failure', async () => {
    const slow = { command: [process.execPath, '-e', 'setTimeout(() => {}, 30000)'], timeoutMs: 60_000 };
    const strategies = { definitions: { BOTH: { steps: ['syntax', 'command:slow', 'tests'] } } };
    const breaking = changeSet({ 'src/math.mjs': 'export const add = (a, b) => a * b;\n' });
    const parallel = await prepare(PROJECT, { validation: { commands: { slow }, tests: { command: 'node --test {files}' } }, strategies }, breaking);
    const result = await runStrategy('BOTH', parallel.context);
    // The slow command was still running when the tests failed: it was cancelled, not reported.
    expect([result.reason, result.failedStep, summary(result.steps)]).toEqual(['TESTS_FAILED', 'tests', ['syntax:ok', 'tests:TESTS_FAILED']]);

    const quick = { command: [process.execPath, '-e', '0'], timeoutMs: 60_000 };
    const ordered = await prepare(PROJECT, { validation: { commands: { slow: quick }, tests: { command: 'node --test {files}' }, parallelSteps: false }, strategies }, breaking);
    const inOrder = await runStrategy('BOTH', ordered.context);
    expect(summary(inOrder.steps)).toEqual(['syntax:ok', 'command:slow:ok', 'tests:TESTS_FAILED']);
  });

  it('runs affected tests first and stops there when they fail', async () => {
    const marker = (name: string) => `appendFileSync('ran-${name}', '');`;
    const markerImport = "import { appendFileSync } from 'node:fs';";
    const files = {
      ...PROJECT,
      'test/math.test.mjs': nodeTest('adds numbers', `${marker('math')}\nassert.equal(add(2, 3), 5);`, `${markerImport}\nimport { add } from '../src/math.mjs';`),
      'test/other.test.mjs': nodeTest('other passes', marker('other'), markerImport),
      'test/third.test.mjs': nodeTest('third passes', marker('third'), markerImport),
    };
    const changes = changeSet({ 'src/math.mjs': 'export const add = (a, b) => a * b;\n' });
    // One worker: the affected tests run alone first and nothing else starts after they fail.
    const { context, sandbox } = await prepare(files, testsConfig({ command: 'node --test {files}', workers: 1 }), changes);
    const seen: string[][] = [];
    const result = await runStrategy('SYNTAX_AND_TESTS', {
      ...context,
      affectedTests: (changed) => {
        seen.push(changed);
        return ['test/math.test.mjs'];
      },
    });
    expect([result.reason, seen]).toEqual(['TESTS_FAILED', [['src/math.mjs']]]);
    expect(result.steps.at(-1)!.outputTail).toMatch(/^not ok 1 - adds numbers$/m);
    expect(await Promise.all(['math', 'other', 'third'].map((name) => exists(path.join(sandbox.root, `ran-${name}`))))).toEqual([true, false, false]);
  });

  it('with two workers starts the rest beside the affected tests and cancels it when they fail', async () => {
    const slowRest = nodeTest('slow other', "await new Promise((resolve) => setTimeout(resolve, 30000));\nappendFileSync('ran-slow', '');", "import { appendFileSync } from 'node:fs';");
    const files = { ...PROJECT, 'test/slow.test.mjs': slowRest };
    const changes = changeSet({ 'src/math.mjs': 'export const add = (a, b) => a * b;\n' });
    const { context, sandbox } = await prepare(files, testsConfig({ command: 'node --test {files}', workers: 2 }), changes);
    const result = await runStrategy('SYNTAX_AND_TESTS', { ...context, affectedTests: () => ['test/math.test.mjs'] });
    expect([result.reason, result.failedStep]).toEqual(['TESTS_FAILED', 'tests']);
    expect(result.steps.at(-1)!.outputTail).toMatch(/^not ok 1 - adds numbers$/m);
    // The slow shard was stopped by the failure, long before its 30 s sleep ended.
    expect(await exists(path.join(sandbox.root, 'ran-slow'))).toBe(false);
  });

  it('shards the rest across workers and reports a shard that passes on re-run as flaky', async () => {
    const flakyBody = "if (!existsSync('flaked')) { writeFileSync('flaked', ''); assert.fail('first run fails'); }";
    const files = {
      'test/a.test.mjs': nodeTest('a', "appendFileSync('shards', process.argv.slice(2).join(' ') + '\\n');", "import { appendFileSync } from 'node:fs';"),
      'test/b.test.mjs': nodeTest('b flaky', flakyBody, "import { existsSync, writeFileSync } from 'node:fs';"),
      'test/c.test.mjs': nodeTest('c', 'assert.ok(true);'),
      'test/d.test.mjs': nodeTest('d', 'assert.ok(true);'),
    };
    const { context } = await prepare(files, testsConfig({ command: 'node --test {files}', retryFailed: true }), changeSet({}));
    const result = await runStrategy('TEST_FIX', context);
    expect([result.ok, summary(result.steps), result.flaky]).toEqual([true, ['syntax:skipped', 'typecheck:skipped', 'tests:ok'], ['test/b.test.mjs', 'test/d.test.mjs']]);
    expect(result.steps[2]!.outputTail.split('\n')[0]).toBe('0 affected test file(s), then 4 more in 2 shard(s) passed');
  });

  it('runs a test command without {files} once', async () => {
    const files = { ...PROJECT, 'run-tests.mjs': "import { appendFileSync } from 'node:fs';\nappendFileSync('runs', 'x');\n" };
    const { context, sandbox } = await prepare(files, testsConfig({ command: 'node run-tests.mjs' }), changeSet({}));
    const result = await runStrategy('TEST_FIX', context);
    expect([result.ok, result.steps[2]!.outputTail]).toEqual([true, 'test suite passed (the command has no {files}, so it ran once)\n']);
    expect(await readdir(sandbox.root).then((names) => names.includes('runs'))).toBe(true);
  });

  it('runs command:<name> steps, rejects DISCARD and unknown strategies', async () => {
    const configInput: ConfigInput = {
      validation: { commands: { audit: { command: ['node', '-e', 'console.log("audit found 1 problem"); process.exit(1)'] } } },
      strategies: { definitions: { AUDITED: { steps: ['syntax', 'command:audit'], sanity: null } } },
    };
    const { context } = await prepare(PROJECT, configInput, changeSet({}));
    const audited = await runStrategy('AUDITED', context);
    expect([audited.reason, audited.failedStep, audited.steps[1]!.outputTail]).toEqual(['COMMAND_FAILED', 'command:audit', 'audit found 1 problem\n']);
    expect(await runStrategy('DISCARD', context)).toMatchObject({ ok: false, reason: 'DISCARDED', steps: [] });
    await expect(runStrategy('NO_SUCH', context)).rejects.toMatchObject({ code: 'UNKNOWN_STRATEGY' });
  });

  it('runs commands without network when sandbox.network is "off"', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const connect = `require('net').connect(${port}, '127.0.0.1').on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (error) => { console.log(error.code); process.exit(1); })`;
    const configInput = (network: 'on' | 'off'): ConfigInput => ({
      sandbox: { network },
      validation: { commands: { connect: { command: ['node', '-e', connect] } } },
      strategies: { definitions: { CONNECT: { steps: ['command:connect'], sanity: null } } },
    });
    try {
      const online = await prepare(PROJECT, configInput('on'), changeSet({}));
      const offline = await prepare(PROJECT, configInput('off'), changeSet({}));
      expect((await runStrategy('CONNECT', online.context)).steps[0]!.outputTail).toBe('connected\n');
      // The jail's network namespace has a loopback of its own, where nothing listens.
      expect((await runStrategy('CONNECT', offline.context)).steps[0]!.outputTail).toBe('ECONNREFUSED\n');
    } finally {
      server.close();
    }
  });
});
