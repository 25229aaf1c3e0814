// SIGTERM (a service manager or CI stopping the run) is said in a sentence on its own line, like
// Ctrl-C, and stops the run cleanly: exit 130, the run lock released.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../support/run-cli.js';
import { TEST_API_KEY, makeNodeProject, scriptRoles, useCycleBench } from '../cycle/cycle-kit.js';

const bench = useCycleBench();

describe('a termination request', () => {
  it('is said in a sentence, then the run stops with exit 130 and releases its lock', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    scriptRoles(bench.server, () => ({ fault: 'hang' }));
    const child = spawnCli(['run', '--repo', repo.root, '--objective', 'Add a subtract function to src/math.js'], { env: { OPENAI_API_KEY: TEST_API_KEY } });
    // The Architect's request has arrived and hangs: the run is in the middle of a phase.
    await bench.server.waitForRequests(1);
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(130);
    const lines = String(result.stderr).split('\n');
    expect(lines.filter((line) => line.startsWith('Received'))).toEqual([
      'Received a termination request (SIGTERM): stopping the current step, then releasing the sandbox and flushing memory. Press Ctrl-C again to quit at once.',
    ]);
    expect(lines.filter((line) => /^[✔✘·] run/.test(line)).map((line) => line.replace(/\d+\.\ds/, '<s>'))).toEqual(['✘ run 1 · cycle 1/1 failed ABORTED in <s> — Add a subtract function to src/math.js']);
    expect(await readdir(path.join(repo.root, '.hephaestus'))).not.toContain('run.lock');
  });
});
