// `hephaestus completion bash|zsh|fish`: the scripts parse in their shell and complete
// commands, nested commands, options and option values, asked the way each shell asks.
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const hasShell = async (shell: string) => (await execa(shell, ['-c', 'exit 0'], { reject: false }).catch(() => ({ exitCode: 1 }))).exitCode === 0;
const [hasZsh, hasFish] = await Promise.all([hasShell('zsh'), hasShell('fish')]);

let directory: string;
const scripts: Record<string, string> = {};
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'hephaestus-completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await runCli(['completion', shell]);
    expect(result.exitCode).toBe(0);
    scripts[shell] = path.join(directory, `completion.${shell}`);
    await writeFile(scripts[shell]!, `${result.stdout}\n`);
  }
});
afterAll(async () => rm(directory, { recursive: true, force: true }));

/** What bash offers for the words typed so far (the last one is being completed). */
async function bashOffers(...typed: string[]): Promise<string[]> {
  const words = ['hephaestus', ...typed].map((word) => `'${word}'`).join(' ');
  const script = `source '${scripts.bash}'; COMP_WORDS=(${words}); COMP_CWORD=${typed.length}; _hephaestus_completion; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return (await execa('bash', ['--norc', '-c', script])).stdout.split('\n').filter(Boolean);
}

describe('hephaestus completion', () => {
  it('bash completes commands, nested commands, options and their values', async () => {
    expect((await execa('bash', ['-n', scripts.bash!], { reject: false })).exitCode).toBe(0);
    expect(await bashOffers('c')).toEqual(['cache', 'completion']);
    expect(await bashOffers('cache', '')).toEqual(['stats', 'clear', '-h', '--help']);
    expect(await bashOffers('cache', 'clear', '--namespace', '')).toEqual(['llm', 'scan']);
    expect(await bashOffers('--log-level', 'd')).toEqual(['debug']);
    expect(await bashOffers('run', '--repo', '/tmp', '--max-')).toEqual(['--max-commits', '--max-minutes', '--max-cost']);
    expect(await bashOffers('completion', '')).toEqual(['bash', 'zsh', 'fish', '-h', '--help']);
  });

  it.skipIf(!hasZsh)('zsh parses it and offers the same words with descriptions', async () => {
    expect((await execa('zsh', ['-n', scripts.zsh!], { reject: false })).exitCode).toBe(0);
    // Outside a completion widget the zsh helpers are stand-ins that print what they were given.
    const stubs = `compdef() { :; }; _describe() { print -r -- "\${(j: | :)\${(P)4}}"; }; compadd() { shift; print -r -- "$*"; }; _files() { print -r -- "files $*"; }`;
    const ask = async (current: number, ...typed: string[]) =>
      (await execa('zsh', ['-f', '-c', `${stubs}; source '${scripts.zsh}'; words=(hephaestus ${typed.map((word) => `'${word}'`).join(' ')}); CURRENT=${current}; _hephaestus`])).stdout;
    expect(await ask(3, 'cache', '')).toBe('stats:entries, hits, misses and bytes per cache namespace | clear:delete the cached entries and reset the hit/miss counters');
    expect(await ask(5, 'cache', 'clear', '--namespace', '')).toBe('llm scan');
    expect(await ask(4, 'run', '--repo', '')).toBe('files -/');
  });

  it.skipIf(!hasFish)('fish parses it and completes through complete -C', async () => {
    expect((await execa('fish', ['-n', scripts.fish!], { reject: false })).exitCode).toBe(0);
    const ask = async (line: string) => (await execa('fish', ['--no-config', '-c', `source '${scripts.fish}'; complete -C '${line}'`])).stdout.split('\n');
    expect(await ask('hephaestus cache ')).toEqual(['clear\tdelete the cached entries and reset the hit/miss counters', 'stats\tentries, hits, misses and bytes per cache namespace']);
    expect(await ask('hephaestus cache clear --namespace ')).toEqual(['llm\tclear only this namespace', 'scan\tclear only this namespace']);
  });

  it('an unknown shell is a usage error', async () => {
    const result = await runCli(['completion', 'tcsh']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("error: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.");
  });
});
