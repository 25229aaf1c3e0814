import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

describe("the project's own AGENTS.md", () => {
  it('is what `hephaestus manifest` generates (run it to refresh the file when this fails)', async () => {
    const result = await runCli(['manifest', '--check', '--repo', projectRoot]);
    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: '' });
  });
});
