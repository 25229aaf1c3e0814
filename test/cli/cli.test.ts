// The executable itself: help, version, usage errors and their exit codes.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

describe('hephaestus executable', () => {
  it('--help lists the commands', async () => {
    const result = await runCli(['--help']);
    expect(result.exitCode).toBe(0);
    const commands = result.stdout
      .split('Commands:')[1]!
      .split('\n')
      .map((line) => /^ {2}(\S+)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    expect(commands).toContain('init');
    expect(commands).toContain('help');
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result).toEqual({ exitCode: 0, stdout: version, stderr: '' });
  });

  it('an unknown command or option is a usage error (exit 2)', async () => {
    const unknownCommand = await runCli(['frobnicate']);
    expect(unknownCommand.exitCode).toBe(2);
    expect(unknownCommand.stderr).toBe("error: unknown command 'frobnicate'\n(run \"hephaestus --help\" for usage)");
    const badLevel = await runCli(['--log-level', 'loud', 'init']);
    expect(badLevel.exitCode).toBe(2);
    expect(badLevel.stderr.split('\n')[0]).toBe(
      "error: option '--log-level <level>' argument 'loud' is invalid. Allowed choices are trace, debug, info, warn, error, fatal, silent.",
    );
  });
});
