// When a command fails, the terminal says what went wrong in one line and how to see more;
// "Re-run with --log-level debug" then really shows the details: the stack, and for one of our
// errors its code and cause.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
afterEach(async () => repo?.remove());

describe('error details', () => {
  it('an unexpected error points to --log-level debug, which prints its stack', async () => {
    repo = await makeTempRepo({ 'src/a.ts': 'export const a = 1;\n' });
    // A file where the state directory should be: reading the evolution log fails with ENOTDIR.
    await writeFile(path.join(repo.root, '.hephaestus'), 'not a directory\n');
    const message = `hephaestus: unexpected error: ENOTDIR: not a directory, open '${repo.root}/.hephaestus/evolution.jsonl'.`;
    const plain = await runCli(['status', '--repo', repo.root]);
    expect({ exitCode: plain.exitCode, stdout: plain.stdout, stderr: plain.stderr }).toEqual({ exitCode: 1, stdout: '', stderr: `${message} Re-run with --log-level debug for details.` });

    const detailed = await runCli(['--log-level', 'debug', 'status', '--repo', repo.root]);
    expect(detailed.exitCode).toBe(1);
    const lines = detailed.stderr.split('\n');
    expect(lines.slice(0, 2)).toEqual([message, `Error: ENOTDIR: not a directory, open '${repo.root}/.hephaestus/evolution.jsonl'`]);
    expect(lines.slice(2).some((line) => /^\s+at .*collect-status\.js:\d+:\d+\)?$/.test(line))).toBe(true);
  });

  it('one of our errors prints its code and stack with --log-level debug, and only its message without', async () => {
    repo = await makeTempRepo({}, { commit: false });
    const message = `hephaestus: ${repo.root}: the repository has no commit yet, so there is nothing to evolve from. Commit your files first (git add -A && git commit -m "initial").`;
    const plain = await runCli(['run', '--repo', repo.root, '--offline']);
    expect([plain.exitCode, plain.stderr.split('\n').at(-1)]).toEqual([3, message]);
    expect(plain.stderr).not.toMatch(/^\s+at /m);

    const detailed = await runCli(['--log-level', 'debug', 'run', '--repo', repo.root, '--offline']);
    expect(detailed.exitCode).toBe(3);
    const lines = detailed.stderr.split('\n');
    const at = lines.indexOf(message);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toBe('HEPHAESTUS_REPO_UNUSABLE');
    expect(lines[at + 2]).toMatch(/^\w*Error: /);
    expect(lines.slice(at + 3).some((line) => /^\s+at /.test(line))).toBe(true);
  });
});
