// The README's command table and the CLI's --help describe the same commands and options: every
// command has a row, every row is a command, and every option --help lists is named in its row.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, defaultRuntime } from '../../agent/cli/program.js';

const README = new URL('../../README.md', import.meta.url);

/** Every command without subcommands, by its path below the program ("cache stats"). */
function leafCommands(command: Command, prefix = ''): Map<string, Command> {
  const leaves = new Map<string, Command>();
  for (const sub of command.commands) {
    const name = prefix === '' ? sub.name() : `${prefix} ${sub.name()}`;
    if (sub.commands.length === 0) leaves.set(name, sub);
    else for (const [path, leaf] of leafCommands(sub, name)) leaves.set(path, leaf);
  }
  return leaves;
}

/** The rows of the "## Commands" table: the command cell (unescaped) and the whole row. */
async function readmeRows(): Promise<Array<{ usage: string; row: string }>> {
  const text = await readFile(README, 'utf8');
  const section = text.slice(text.indexOf('\n## Commands\n'), text.indexOf('\n## ', text.indexOf('\n## Commands\n') + 5));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `hephaestus '))
    .map((line) => ({ usage: /^\| `hephaestus ([^`]*)`/.exec(line)![1]!.replaceAll('\\|', '|'), row: line.replaceAll('\\|', '|') }));
}

/** The command paths a usage line documents: "cache stats|clear [--repo DIR]" → cache stats, cache clear;
 *  "objective list|remove ID|clear" → objective list, objective remove, objective clear. */
function documentedPaths(usage: string, known: ReadonlySet<string>): string[] {
  const words = usage.split(' ');
  const end = words.findIndex((word) => /^[[-]/.test(word));
  const [head = '', ...rest] = words.slice(0, end === -1 ? words.length : end);
  const paths = rest.join(' ').split('|').map((alternative) => `${head} ${alternative.trim().split(' ')[0]}`);
  if (paths.every((path) => known.has(path))) return paths;
  // "completion bash|zsh|fish", "eval TASKS...": values of an argument, not commands.
  return [head];
}

describe('README command table', () => {
  const program = buildProgram(defaultRuntime(new AbortController().signal), () => {});
  const leaves = leafCommands(program);
  const known = new Set(leaves.keys());

  it('has a row for every command and only for commands', async () => {
    const rows = await readmeRows();
    const documented = new Set(rows.flatMap((row) => documentedPaths(row.usage, known)));
    expect([...known].filter((path) => !documented.has(path)).sort()).toEqual([]);
    expect([...documented].filter((path) => !known.has(path)).sort()).toEqual([]);
  });

  it("names every option of a command in that command's row", async () => {
    const rows = await readmeRows();
    const missing: string[] = [];
    for (const [path, command] of leaves) {
      const text = rows.filter((row) => documentedPaths(row.usage, known).includes(path)).map((row) => row.row).join('\n');
      for (const option of command.options) {
        if (option.hidden || !option.long || option.long === '--help') continue;
        // "--no-check" may be written as such; a negatable option's positive form counts too.
        if (!new RegExp(`${option.long.replace(/[-]/g, '\\-')}(?![\\w-])`).test(text)) missing.push(`${path} ${option.long}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('lists the global options', async () => {
    const text = await readFile(README, 'utf8');
    const globals = /^Global options: (.*)$/m.exec(text)?.[1] ?? '';
    expect(program.options.map((option) => option.long).filter((long) => !globals.includes(`\`${long}`))).toEqual([]);
  });
});
