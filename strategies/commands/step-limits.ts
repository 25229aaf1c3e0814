// Per-command limits (`sandbox.limits`): file size always as an rlimit (prlimit); processes and
// memory in a cgroup of their own when this process may create one (cgroup v1 `pids` and
// `memory` controllers, as root), else as rlimits (RLIMIT_NPROC counts every process of the
// user; RLIMIT_DATA bounds writable memory per process). A cgroup also tells afterwards which
// limit was hit, and its leftovers are found by name after a crash.
import { mkdir, readFile, readdir, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StepLimits } from './jail-settings.js';

export type LimitName = 'processes' | 'memory' | 'file-size';

export interface LimitHit {
  limit: LimitName;
  message: string;
}

export interface LimitedCommand {
  /** argv to put in front of the command (cgroup entry, prlimit). */
  prefix: string[];
  /** After the command: which limit it hit, if any; kills what is left in its cgroup and removes it. */
  finish(result: { exitCode: number | null; outputTail: string }): Promise<LimitHit | null>;
}

const CGROUP_ROOT = '/sys/fs/cgroup';
export const CGROUP_PREFIX = 'hephaestus-jail-';
const SIGXFSZ_EXIT = 128 + 25;
let counter = 0;

interface Controllers {
  pids: string | null;
  memory: string | null;
}

let controllers: Promise<Controllers> | null = null;

/** Directories (our own cgroup in each v1 hierarchy) where a child cgroup can be made; memoised. */
export function cgroupParents(): Promise<Controllers> {
  controllers ??= (async () => {
    const found = { pids: await usableParent('pids'), memory: await usableParent('memory') };
    // Cgroups a crashed run left behind are emptied and removed the first time any are needed.
    await removeAbandonedGroups(found);
    return found;
  })();
  return controllers;
}

async function usableParent(controller: 'pids' | 'memory'): Promise<string | null> {
  const own = (await readFile('/proc/self/cgroup', 'utf8').catch(() => ''))
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[1]?.split(',').includes(controller));
  if (!own || own[2] === undefined) return null;
  const parent = path.join(CGROUP_ROOT, controller, own[2]);
  const probe = path.join(parent, `${CGROUP_PREFIX}probe-${process.pid}`);
  try {
    await mkdir(probe);
    await rmdir(probe);
    return parent;
  } catch {
    return null;
  }
}

export async function prepareLimits(limits: StepLimits): Promise<LimitedCommand> {
  const parents = limits.processes === null && limits.memoryBytes === null ? { pids: null, memory: null } : await cgroupParents();
  const name = `${CGROUP_PREFIX}${process.pid}-${++counter}`;
  const groups: Array<{ controller: 'pids' | 'memory'; dir: string }> = [];
  const rlimits: string[] = [];
  if (limits.fileSizeBytes !== null) rlimits.push(`--fsize=${limits.fileSizeBytes}`);
  if (limits.processes !== null) {
    if (parents.pids) groups.push(await makeGroup('pids', parents.pids, name, { 'pids.max': String(limits.processes) }));
    else rlimits.push(`--nproc=${limits.processes}`);
  }
  if (limits.memoryBytes !== null) {
    if (parents.memory) groups.push(await makeGroup('memory', parents.memory, name, { 'memory.limit_in_bytes': String(limits.memoryBytes) }));
    else rlimits.push(`--data=${limits.memoryBytes}`);
  }
  const prefix: string[] = [];
  if (groups.length > 0) {
    // The shell joins the cgroups before anything of the command exists, then becomes it.
    prefix.push('/bin/sh', '-c', 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 126; shift; done; shift; exec "$@"', 'jail');
    prefix.push(...groups.map((group) => path.join(group.dir, 'cgroup.procs')), '--');
  }
  if (rlimits.length > 0) prefix.push('prlimit', ...rlimits, '--');

  return {
    prefix,
    async finish(result) {
      const hit = await limitHit(groups, result, limits);
      await Promise.all(groups.map((group) => removeGroup(group.dir)));
      return hit;
    },
  };
}

async function makeGroup(controller: 'pids' | 'memory', parent: string, name: string, settings: Record<string, string>) {
  const dir = path.join(parent, name);
  await mkdir(dir);
  for (const [file, value] of Object.entries(settings)) await writeFile(path.join(dir, file), value);
  return { controller, dir };
}

async function limitHit(groups: Array<{ controller: 'pids' | 'memory'; dir: string }>, result: { exitCode: number | null; outputTail: string }, limits: StepLimits): Promise<LimitHit | null> {
  for (const group of groups) {
    if (group.controller === 'pids') {
      const events = await readFile(path.join(group.dir, 'pids.events'), 'utf8').catch(() => '');
      if (Number(/^max (\d+)/m.exec(events)?.[1] ?? 0) > 0) return { limit: 'processes', message: `the command reached the limit of ${limits.processes} processes and threads (sandbox.limits.processes)` };
    } else {
      const oom = await readFile(path.join(group.dir, 'memory.oom_control'), 'utf8').catch(() => '');
      const failures = await readFile(path.join(group.dir, 'memory.failcnt'), 'utf8').catch(() => '0');
      if (Number(/^oom_kill (\d+)/m.exec(oom)?.[1] ?? 0) > 0 || Number(failures) > 0) {
        return { limit: 'memory', message: `the command reached the memory limit of ${megabytes(limits.memoryBytes)} MB (sandbox.limits.memoryMb)` };
      }
    }
  }
  if (limits.fileSizeBytes !== null && (result.exitCode === SIGXFSZ_EXIT || /\bEFBIG\b|File too large/.test(result.outputTail))) {
    return { limit: 'file-size', message: `the command tried to write a file larger than ${megabytes(limits.fileSizeBytes)} MB (sandbox.limits.fileSizeMb)` };
  }
  return null;
}

function megabytes(bytes: number | null): number {
  return Math.round((bytes ?? 0) / (1024 * 1024));
}

/** Kills whatever is still in the cgroup and removes it; retried while the kernel reaps. */
export async function removeGroup(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const pids = (await readFile(path.join(dir, 'cgroup.procs'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map(Number);
    for (const pid of pids) killQuietly(pid);
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Cgroups of jails whose owning process is gone (a crashed run); their processes are killed. */
async function removeAbandonedGroups(parents: Controllers): Promise<number[]> {
  const killed: number[] = [];
  for (const parent of [parents.pids, parents.memory]) {
    if (parent === null) continue;
    for (const entry of await readdir(parent).catch(() => [] as string[])) {
      const owner = new RegExp(`^${CGROUP_PREFIX}(\\d+)-\\d+$`).exec(entry)?.[1];
      if (owner === undefined || isAlive(Number(owner))) continue;
      const dir = path.join(parent, entry);
      const pids = (await readFile(path.join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);
      killed.push(...pids);
      await removeGroup(dir);
    }
  }
  return killed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
