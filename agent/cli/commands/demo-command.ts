// `hephaestus demo`: writes the sample project into a new directory, commits it, runs offline
// cycles on it with the normal progress display, then shows the commits, a table of the cycles
// and the sample's tests at the tip of the evolution branch. No network, no key.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { LogLevel } from '../../config/log-levels.js';
import { SAMPLE_DEFECTS, SAMPLE_FILES, sampleConfig } from '../../demo/sample-project.js';
import { UsageError } from '../../core/errors.js';
import { runGit } from '../../git/git-environment.js';
import type { CycleRecord } from '../../cycle/cycle-record.js';
import { readCycleRecords } from '../../state/evolution-log.js';
import { STATE_DIR_NAME } from '../../state/state-dir.js';
import { displayPath } from '../display-path.js';
import type { CliRuntime } from '../cli-runtime.js';

export interface DemoCommandOptions {
  dir?: string;
  cycles?: number;
  logLevel?: LogLevel;
}

const BRANCH = 'hephaestus/evolve';
const SAMPLE_TESTS = Object.keys(SAMPLE_FILES).filter((file) => /^test\/.*\.test\.js$/.test(file));

export async function runDemoCommand(options: DemoCommandOptions, runtime: CliRuntime): Promise<number> {
  const { io, signal } = runtime;
  const cycles = options.cycles ?? 3;
  const dir = await prepareDirectory(options.dir);
  for (const [file, content] of Object.entries(SAMPLE_FILES)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  await writeFile(path.join(dir, 'hephaestus.config.json'), sampleConfig());
  await runGit(dir, ['init', '-q', '-b', 'main'], { signal });
  await runGit(dir, ['add', '-A'], { signal });
  await runGit(dir, ['commit', '-q', '-m', 'Sample project for the Hephaestus demo'], { signal });

  io.out(`Sample project: ${displayPath(dir)} (JavaScript checked by TypeScript, node:test tests, ${SAMPLE_DEFECTS} real defects)`);
  io.out(`Its tests before any cycle: ${await runSampleTests(dir, signal)}`);
  io.out(`Running ${cycles} offline cycle(s): the TypeScript language service proposes each fix; only what passes the tests is committed to ${BRANCH}.`);
  io.out('');

  const { runRunCommand } = await import('./run-command.js');
  const exitCode = await runRunCommand({ repo: dir, offline: true, cycles, ...(options.logLevel ? { logLevel: options.logLevel } : {}) }, runtime);
  if (signal.aborted) return exitCode;

  const { records } = await readCycleRecords(path.join(dir, STATE_DIR_NAME));
  const log = await runGit(dir, ['log', '--stat', '--format=commit %H%nAuthor: %an <%ae>%nDate:   %ad%n%n    %s', `main..${BRANCH}`], { signal, allowFailure: true });
  io.out('');
  io.out(`Commits on ${BRANCH}:`);
  io.out(log.exitCode === 0 && log.stdout.trim() !== '' ? log.stdout.trimEnd() : '(none)');
  io.out('');
  io.out('Cycles:');
  io.out(cycleTable(records));

  if (log.exitCode === 0 && log.stdout.trim() !== '') {
    // The demo owns this directory: show the evolved code in place.
    await runGit(dir, ['checkout', '-q', BRANCH], { signal });
    io.out('');
    io.out(`Its tests at ${BRANCH} (now checked out in ${displayPath(dir)}): ${await runSampleTests(dir, signal)}`);
    io.out(`See every change with: git -C ${displayPath(dir)} diff main`);
  }
  return exitCode;
}

async function prepareDirectory(requested: string | undefined): Promise<string> {
  if (requested === undefined) return mkdtemp(path.join(os.tmpdir(), 'hephaestus-demo-'));
  const dir = path.resolve(requested);
  if (existsSync(dir) && (await readdir(dir)).length > 0) {
    throw new UsageError(`--dir ${requested} is not empty; the demo writes a new project there. Pass a new or empty directory, or leave --dir out for a temporary one.`);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

/** "4 passed, 1 failed (canOrder checks the stock)" from the node:test report. */
async function runSampleTests(dir: string, signal: AbortSignal): Promise<string> {
  const result = await execa(process.execPath, ['--test', ...SAMPLE_TESTS], { cwd: dir, reject: false, timeout: 60_000, cancelSignal: signal, env: { NODE_OPTIONS: '' } });
  const output = String(result.stdout);
  const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
  const failing = [...output.matchAll(/^not ok \d+ - (.*)$/gm)].map((match) => match[1]!.trim());
  return `${count('pass')} passed, ${count('fail')} failed${failing.length > 0 ? ` (${failing.join('; ')})` : ''}`;
}

function cycleTable(records: readonly CycleRecord[]): string {
  if (records.length === 0) return '(no cycle ran)';
  const rows = [
    ['#', 'outcome', 'reason', 'strategy', 'files', 'objective'],
    ...records.map((record) => [String(record.n), record.outcome, record.reason ?? '-', record.strategy ?? '-', record.files.join(', ') || '-', record.objective ?? '-']),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
}
