// A step's timeout fires even when garbage collections run while a test loops forever: the
// timer is held for the life of the command (an AbortSignal.timeout() inside AbortSignal.any()
// can be collected on Node 20 and then never fires).
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.remove();
});

describe('step timeouts under garbage collection', () => {
  it('reports STEP_TIMEOUT for a test that loops forever while GC is forced every 50 ms', async () => {
    repo = await makeTempRepo({ 'package.json': '{ "type": "module" }\n', 'src/a.mjs': 'export const a = 1;\n' });
    const script = fileURLToPath(new URL('./support/timeout-under-gc-child.ts', import.meta.url));
    // The child's own timeout is the test's failure mode: a hang, not a fixed delay to assert on.
    const child = await execa(process.execPath, ['--expose-gc', '--import', 'tsx', script, repo.root], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      reject: false,
      timeout: 90_000,
    });
    expect({ timedOut: child.timedOut, stderr: child.stderr }).toEqual({ timedOut: false, stderr: '' });
    expect(JSON.parse(child.stdout)).toEqual({ reason: 'STEP_TIMEOUT', steps: ['syntax:ok', 'typecheck:ok', 'tests:STEP_TIMEOUT'] });
  }, 120_000);
});
