// Per-step limits (sandbox.limits) bound what model-written code can take: a test that
// allocates beyond the memory limit, a fork bomb beyond the process limit and a file beyond the
// file-size limit each end their step with STEP_LIMIT naming the limit, and nothing they
// started outlives the step, not even its cgroup. Both ways of enforcing them run here: the
// one "auto" picks on this machine (a cgroup when one can be made) and "rlimit", the one that
// works without cgroups (rlimits inside the jail and a watchdog on its processes).
import { readdir } from 'node:fs/promises';
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../agent/config/schema.js';
import { resolveLimitMechanism } from '../../strategies/commands/limit-mechanism.js';
import { CGROUP_PREFIX, prepareLimits } from '../../strategies/commands/step-limits.js';
import { runStrategy } from '../../strategies/run-strategy.js';
import { requireJail } from './support/attack-kit.js';
import { changeSet, makeSandboxFixture, pidsWithArgument, silentLogger, waitFor, type SandboxFixture } from '../sandbox/support/sandbox-fixtures.js';

const fixtures: SandboxFixture[] = [];
afterEach(async () => {
  for (const fixture of fixtures.splice(0)) await fixture.repo.remove();
});

beforeAll(async () => {
  await requireJail();
});

const MARKER = `hephaestus-limit-${process.pid}`;

/** node:test files that each reach one limit; the bodies stop by themselves if the limit does not hold. */
const ATTACKS = {
  memory: `const chunks = [];
  for (let i = 0; i < 64; i++) chunks.push(Buffer.alloc(16 * 1024 * 1024, 1));
  console.log('allocated', chunks.length * 16, 'MB');`,
  processes: `const { spawn } = await import('node:child_process');
  for (let i = 0; i < 200; i++) {
    const child = spawn('sleep', ['600', '${MARKER}'], { stdio: 'ignore', detached: i % 2 === 0 });
    await new Promise((resolve, reject) => { child.once('spawn', resolve); child.once('error', reject); });
  }`,
  // Each process stays well under the limit; together they do not (an rlimit is per process).
  memoryAcrossProcesses: `const { spawn } = await import('node:child_process');
  const holders = [];
  const answer = (child, text) => new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return reject(new Error('a holder was killed'));
    child.stdout.once('data', resolve);
    child.once('exit', () => reject(new Error('a holder was killed')));
    child.stdin.on('error', () => {});
    if (text) child.stdin.write(text);
  });
  try {
    for (let i = 0; i < 4; i++) {
      const child = spawn(process.execPath, ['-e', "const held = Buffer.alloc(100 * 1024 * 1024, 1); console.log('held', held.length); process.stdin.on('data', () => console.log('still held', held.length));", '${MARKER}'], { stdio: ['pipe', 'pipe', 'inherit'] });
      holders.push(child);
      await answer(child);
    }
    // A holder the kernel killed on the way (a cgroup's OOM killer) does not answer.
    for (const child of holders) await answer(child, 'ping\\n');
  } finally {
    for (const child of holders) child.kill('SIGKILL');
  }`,
  fileSize: `const { writeFileSync } = await import('node:fs');
  writeFileSync('big.bin', Buffer.alloc(4 * 1024 * 1024, 1));`,
};

async function runAttack(body: string, limits: NonNullable<NonNullable<ConfigInput['sandbox']>['limits']>) {
  const fixture = await makeSandboxFixture({ 'package.json': '{ "type": "module" }\n', 'src/a.mjs': 'export const a = 1;\n' }, {
    sandbox: { linkPaths: [], limits },
    validation: { tests: { command: 'node --test {files}', workers: 1, retryFailed: false } },
  });
  fixtures.push(fixture);
  const changes = changeSet({ 'test/limit.test.mjs': `import { test } from 'node:test';\ntest('takes too much', async () => {\n  ${body}\n});\n` });
  const sandbox = await fixture.pool.acquire('HEAD', AbortSignal.timeout(30_000));
  await sandbox.materialize(changes);
  const result = await runStrategy('CREATE_NEW_TEST_FILE', { sandbox, changes, config: fixture.config, signal: AbortSignal.timeout(120_000), logger: silentLogger });
  const tests = result.steps.find((step) => step.step === 'tests');
  return { reason: result.reason, failedStep: result.failedStep, limitLine: /^\[hephaestus\] STEP_LIMIT: .*$/m.exec(tests?.outputTail ?? '')?.[0] ?? tests?.outputTail };
}

async function leftoverGroups(): Promise<string[]> {
  const found: string[] = [];
  for (const parent of (await resolveLimitMechanism('auto')).hierarchy?.parents ?? []) {
    found.push(...(await readdir(parent)).filter((entry) => entry.startsWith(`${CGROUP_PREFIX}${process.pid}-`)));
  }
  return found;
}

describe('the limit mechanism', () => {
  // First in the file: the choice is logged once per process, by the first command that has a logger.
  it('is chosen once, explicitly, and logged once', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const limits = { processes: 64, fileSizeBytes: null, memoryBytes: null };
    const first = await prepareLimits(limits, logger);
    const second = await prepareLimits(limits, logger);
    await Promise.all([first.finish({ exitCode: 0, outputTail: '' }), second.finish({ exitCode: 0, outputTail: '' })]);
    const chosen = await resolveLimitMechanism('auto');
    expect([first.mechanism, second.mechanism]).toEqual([chosen.name, chosen.name]);
    expect(chosen.reason).not.toBe('');
    expect(lines.map(({ event, setting, mechanism, reason }) => ({ event, setting, mechanism, reason }))).toEqual([{ event: 'step-limits', setting: 'auto', mechanism: chosen.name, reason: chosen.reason }]);
  });

  it('a cgroup mechanism this machine cannot give is refused with JAIL_UNAVAILABLE, naming the way out', async () => {
    const chosen = await resolveLimitMechanism('auto');
    const unavailable = chosen.name === 'cgroup-v2' ? 'cgroup-v1' : 'cgroup-v2';
    const error = await resolveLimitMechanism(unavailable).then(() => null, (thrown: { code?: string; message?: string }) => thrown);
    expect(error?.code).toBe('JAIL_UNAVAILABLE');
    expect(error?.message).toMatch(new RegExp(`^sandbox\\.limits\\.mechanism is "${unavailable}", but .+\\. Set it to "auto" or "rlimit", which work without cgroups\\.$`));
  });
});

describe.each(['auto', 'rlimit'] as const)('per-step limits (sandbox.limits.mechanism "%s")', (mechanism) => {
  it('a test allocating beyond sandbox.limits.memoryMb ends the step with STEP_LIMIT (memory)', async () => {
    expect(await runAttack(ATTACKS.memory, { memoryMb: 256, mechanism })).toEqual({
      reason: 'STEP_LIMIT',
      failedStep: 'tests',
      limitLine: '[hephaestus] STEP_LIMIT: the command reached the memory limit of 256 MB (sandbox.limits.memoryMb)',
    });
    expect(await leftoverGroups()).toEqual([]);
  }, 150_000);

  it('processes that together hold more than sandbox.limits.memoryMb end the step with STEP_LIMIT (memory), and none survives', async () => {
    expect(await runAttack(ATTACKS.memoryAcrossProcesses, { memoryMb: 256, mechanism })).toEqual({
      reason: 'STEP_LIMIT',
      failedStep: 'tests',
      limitLine: '[hephaestus] STEP_LIMIT: the command reached the memory limit of 256 MB (sandbox.limits.memoryMb)',
    });
    await waitFor(async () => (await pidsWithArgument(MARKER)).length === 0, 10_000);
    expect(await leftoverGroups()).toEqual([]);
  }, 150_000);

  it('a fork bomb is bounded by sandbox.limits.processes, reported as STEP_LIMIT, and none of its processes survive', async () => {
    expect(await runAttack(ATTACKS.processes, { processes: 64, mechanism })).toEqual({
      reason: 'STEP_LIMIT',
      failedStep: 'tests',
      limitLine: '[hephaestus] STEP_LIMIT: the command reached the limit of 64 processes and threads (sandbox.limits.processes)',
    });
    await waitFor(async () => (await pidsWithArgument(MARKER)).length === 0, 10_000);
    expect(await leftoverGroups()).toEqual([]);
  }, 150_000);

  it('a file beyond sandbox.limits.fileSizeMb ends the step with STEP_LIMIT (file size)', async () => {
    expect(await runAttack(ATTACKS.fileSize, { fileSizeMb: 1, mechanism })).toEqual({
      reason: 'STEP_LIMIT',
      failedStep: 'tests',
      limitLine: '[hephaestus] STEP_LIMIT: the command tried to write a file larger than 1 MB (sandbox.limits.fileSizeMb)',
    });
  }, 150_000);
});
