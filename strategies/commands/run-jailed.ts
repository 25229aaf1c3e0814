// Runs one validation command in its jail: bubblewrap (or nothing, for isolation "none"),
// inside the step's limits, with the allow-listed environment. Every command a validation
// step runs goes through here.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { BWRAP, bwrapArguments } from './bwrap-arguments.js';
import { jailAccounts } from './jail-accounts.js';
import { jailEnvironment } from './jail-environment.js';
import type { JailSettings } from './jail-settings.js';
import { withNetworkMode } from './network-isolation.js';
import { resolveIsolation, type Isolation } from './resolve-isolation.js';
import { runCommand, type CommandResult } from './run-command.js';
import { prepareLimits, type LimitHit } from './step-limits.js';
import { toolCacheMounts } from './tool-caches.js';

export interface JailedCommandOptions {
  jail: JailSettings;
  /** Working directory: a writable path of the jail or below one. */
  cwd: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** Warnings of isolation "none" (no network namespace possible) go here. */
  logger?: Logger;
  killGraceMs?: number;
  tailBytes?: number;
}

export interface JailedResult extends CommandResult {
  isolation: Isolation;
  /** The limit the command hit; outcome is then 'limit-exceeded'. */
  limit: LimitHit | null;
}

/** What bwrap (or prlimit, which runs the command inside it) says when the command itself cannot be started in the jail. */
const BWRAP_EXEC_FAILED = /^(?:bwrap: execvp|prlimit: failed to execute) [^\n]*: (No such file or directory|Permission denied)\n?$/m;

const silentLogger = pino({ level: 'silent' });

/** Throws JailUnavailableError when the jail is required and cannot be built. */
export async function runJailed(argv: readonly string[], options: JailedCommandOptions): Promise<JailedResult> {
  const isolation = await resolveIsolation(options.jail.isolation);
  const homes = homeDirectories();
  const home = homes[0]!;
  const environment = jailEnvironment({ base: process.env, home, extra: options.jail.environment });
  const limits = await prepareLimits(options.jail.limits, options.logger);
  let finalArgv: string[];
  let inputs: string[] = [];
  if (isolation === 'bwrap') {
    // Toolchains installed in the home (pyenv, nvm, cargo, a virtualenv's interpreter) stay usable, read-only.
    const accounts = jailAccounts(home);
    const toolchains = [...toolchainPaths(homes, options.jail.readOnlyPaths), ...pathEntriesUnder(accounts.hiddenPaths, homes)];
    const settings = {
      ...options.jail,
      hiddenPaths: [...options.jail.hiddenPaths, ...homes.slice(1), ...accounts.hiddenPaths],
      readOnlyPaths: [...options.jail.readOnlyPaths, ...toolchains],
      maskedFiles: [...options.jail.maskedFiles, ...accounts.maskedFiles],
    };
    const dataFiles = Object.keys(accounts.files);
    inputs = Object.values(accounts.files);
    const caches = toolCacheMounts(options.cwd, options.jail.readOnlyPaths);
    finalArgv = [...limits.prefix, BWRAP, ...bwrapArguments({ settings, cwd: options.cwd, home, dataFiles, caches }), ...limits.innerPrefix, ...argv];
  } else {
    finalArgv = [...limits.prefix, ...(await withNetworkMode([...limits.innerPrefix, ...argv], options.jail.network, options.logger ?? silentLogger))];
  }
  const result = await runCommand(finalArgv, {
    cwd: options.cwd,
    env: environment,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    inputs,
    onSpawn: (pid) => limits.started(pid, { ownNamespace: isolation === 'bwrap' }),
    ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}),
    ...(options.tailBytes !== undefined ? { tailBytes: options.tailBytes } : {}),
  }).catch(async (error: unknown) => {
    await limits.finish({ exitCode: null, outputTail: '' });
    throw error;
  });
  const hit = await limits.finish(result);
  if (isolation === 'bwrap' && result.outcome === 'failed' && BWRAP_EXEC_FAILED.test(result.outputTail)) return { ...result, outcome: 'spawn-failed', isolation, limit: null };
  // A limit explains a failure or a command that spun until its timeout (a fork bomb).
  const limit = result.outcome === 'failed' || result.outcome === 'timed-out' ? hit : null;
  if (limit === null) return { ...result, isolation, limit: null };
  return { ...result, outcome: 'limit-exceeded', isolation, limit, outputTail: `${result.outputTail}\n[hephaestus] STEP_LIMIT: ${limit.message}\n` };
}

/** The agent's home directories (HOME and the account's), each hidden behind an empty tmpfs; the first is the jail's HOME. */
function homeDirectories(): string[] {
  const candidates = [process.env.HOME, os.homedir(), process.env.XDG_CONFIG_HOME].filter(
    (directory): directory is string => typeof directory === 'string' && directory.startsWith('/') && directory !== '/' && isDirectory(directory),
  );
  const unique = [...new Set(candidates.map((directory) => path.resolve(directory)))];
  return unique.length > 0 ? unique : ['/tmp/home'];
}

/** Home entries that hold credentials, never shown even when a PATH entry lies inside them. */
const SECRET_HOME_ENTRIES = new Set(['.ssh', '.aws', '.azure', '.gnupg', '.config', '.docker', '.kube', '.npmrc', '.netrc', '.pypirc', '.git-credentials', '.local']);

/**
 * Directories inside a hidden home that commands need to run, shown read-only: for each PATH
 * entry in a home, its top directory there (~/.pyenv for ~/.pyenv/shims), or the entry itself
 * under a credential-holding one (~/.local/bin); and the install prefix of every interpreter a
 * shared path links to (a virtualenv's bin/python → ~/.pyenv/versions/3.11.7).
 */
export function toolchainPaths(homes: readonly string[], sharedPaths: readonly string[]): string[] {
  const key = `${homes.join('\0')}\n${sharedPaths.join('\0')}\n${process.env.PATH ?? ''}`;
  let found = toolchainCache.get(key);
  if (found) return found;
  const inHome = (file: string) => homes.find((home) => file.startsWith(`${home}/`));
  const shown = new Set<string>();
  for (const entry of (process.env.PATH ?? '').split(':')) {
    const home = entry.startsWith('/') ? inHome(entry) : undefined;
    if (!home) continue;
    const top = entry.slice(home.length + 1).split('/')[0]!;
    shown.add(SECRET_HOME_ENTRIES.has(top) ? entry : path.join(home, top));
  }
  for (const shared of sharedPaths) {
    for (const name of safeReaddir(path.join(shared, 'bin'))) {
      const real = safeRealpath(path.join(shared, 'bin', name));
      if (real && inHome(real)) shown.add(path.dirname(path.dirname(real)));
    }
  }
  found = [...shown].filter((directory) => isDirectory(directory));
  toolchainCache.set(key, found);
  return found;
}

const toolchainCache = new Map<string, string[]>();

/** PATH entries inside other users' homes (hidden too), each shown read-only by itself. */
function pathEntriesUnder(hiddenRoots: readonly string[], homes: readonly string[]): string[] {
  const inside = (file: string, directory: string) => file.startsWith(`${directory}/`);
  return (process.env.PATH ?? '')
    .split(':')
    .filter((entry) => entry.startsWith('/') && hiddenRoots.some((root) => inside(entry, root)) && !homes.some((home) => inside(entry, home) || entry === home) && isDirectory(entry));
}

function safeReaddir(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

function safeRealpath(file: string): string | null {
  try {
    return realpathSync(file);
  } catch {
    return null;
  }
}

const directories = new Map<string, boolean>();

function isDirectory(directory: string): boolean {
  let known = directories.get(directory);
  if (known === undefined) {
    known = statSync(directory, { throwIfNoEntry: false })?.isDirectory() ?? false;
    directories.set(directory, known);
  }
  return known;
}
