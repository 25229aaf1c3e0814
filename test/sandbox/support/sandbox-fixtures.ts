// Shared pieces of the sandbox, strategy and promotion tests: real temp repos with a state
// dir, a pool over them, a silent logger, and a process liveness check that sees zombies.
import { readFile, readdir } from 'node:fs/promises';
import { pino, type Logger } from 'pino';
import { configSchema, type Config, type ConfigInput } from '../../../agent/config/schema.js';
import { locateRepository } from '../../../agent/git/git-environment.js';
import { ensureStateDir } from '../../../agent/state/state-dir.js';
import { createSandboxPool, type SandboxPool } from '../../../sandbox/sandbox-pool.js';
import { makeTempRepo, type TempRepo } from '../../support/temp-repo.js';

export const silentLogger: Logger = pino({ level: 'silent' });

export interface SandboxFixture {
  repo: TempRepo;
  stateDir: string;
  pool: SandboxPool;
  config: Config;
}

export async function makeSandboxFixture(files: Record<string, string>, configInput: ConfigInput = {}, poolSize = 1): Promise<SandboxFixture> {
  const repo = await makeTempRepo(files);
  const stateDir = await ensureStateDir(await locateRepository(repo.root));
  const config = configSchema.parse(configInput);
  const pool = createSandboxPool({ repoRoot: repo.root, stateDir, size: poolSize, linkPaths: config.sandbox.linkPaths, logger: silentLogger });
  return { repo, stateDir, pool, config };
}

export function changeSet(entries: Record<string, string | null>): Map<string, string | null> {
  return new Map(Object.entries(entries));
}

/** True while `pid` exists and is not a zombie (a zombie has exited; it only awaits reaping). */
export async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return false;
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Pids written one per line by test processes into `file`. */
export async function readPids(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map(Number);
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes. */
export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Host pids of the processes whose command line has `marker` as one argument. Jailed processes
 * live in a PID namespace of their own, so the pids they see of themselves mean nothing here.
 */
export async function pidsWithArgument(marker: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (argv.includes(marker) && (await isAlive(Number(entry)))) pids.push(Number(entry));
  }
  return pids;
}
