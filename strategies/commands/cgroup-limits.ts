// Cgroups that hold one jailed command each, with its process and memory limits: cgroup v2
// (the unified hierarchy: pids.max, memory.max, cgroup.kill) or cgroup v1 (the `pids` and
// `memory` hierarchies). A group tells afterwards which limit was hit, and is named after the
// agent's pid, so the groups of a crashed run are found and emptied by the next one.
import { access, mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const CGROUP_ROOT = '/sys/fs/cgroup';
export const CGROUP_PREFIX = 'hephaestus-jail-';
/** The v2 leaf this process moves into when its own cgroup must hand controllers to children. */
const AGENT_LEAF_PREFIX = 'hephaestus-agent-';

export type CgroupVersion = 'v1' | 'v2';

export interface CgroupHierarchy {
  version: CgroupVersion;
  /** Whether a group here can bound processes (pids) and memory. */
  processes: boolean;
  memory: boolean;
  /** The directories command groups are made in (one per v1 controller, one for v2). */
  parents: string[];
}

export interface CommandGroups {
  /** The `cgroup.procs` files the command's first process joins. */
  procsFiles: string[];
  /** Which limit the kernel enforced, if any. */
  limitHit(): Promise<'processes' | 'memory' | null>;
  /** Kills what is left in the groups and removes them. */
  remove(): Promise<void>;
}

/** The unified hierarchy mounted at /sys/fs/cgroup, with pids or memory usable in a child of this process's cgroup; else why not. */
export async function findCgroupV2(): Promise<CgroupHierarchy | string> {
  if (!(await exists(path.join(CGROUP_ROOT, 'cgroup.controllers')))) return `${CGROUP_ROOT} is not a cgroup v2 (unified) mount`;
  const own = /^0::(\/.*)$/m.exec(await readFile('/proc/self/cgroup', 'utf8').catch(() => ''))?.[1];
  if (own === undefined) return 'this process has no cgroup v2 path';
  const base = path.join(CGROUP_ROOT, own);
  const available = words(await readFile(path.join(base, 'cgroup.controllers'), 'utf8').catch(() => ''));
  const wanted = ['pids', 'memory'].filter((controller) => available.includes(controller));
  if (wanted.length === 0) return `the pids and memory controllers are not available in ${base}`;
  const problem = await enableControllers(base, wanted);
  if (problem !== null) return problem;
  if (!(await canMakeChild(base))) return `no cgroup can be created in ${base} (not writable: delegate it, e.g. systemd-run --user --scope -p Delegate=yes)`;
  await removeAbandonedGroups([base]);
  return { version: 'v2', processes: wanted.includes('pids'), memory: wanted.includes('memory'), parents: [base] };
}

/**
 * Hands the controllers to children of `base`. A cgroup with processes of its own cannot (the
 * "no internal processes" rule), so this process first moves into a leaf of its own; if others
 * still live in `base`, it moves back and the hierarchy is not used.
 */
async function enableControllers(base: string, wanted: readonly string[]): Promise<string | null> {
  const control = path.join(base, 'cgroup.subtree_control');
  const enabled = async () => words(await readFile(control, 'utf8').catch(() => ''));
  const current = await enabled();
  if (wanted.every((controller) => current.includes(controller))) return null;
  const request = wanted.map((controller) => `+${controller}`).join(' ');
  try {
    await writeFile(control, request);
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EBUSY') return `${control} is not writable (${(error as Error).message})`;
  }
  const leaf = path.join(base, `${AGENT_LEAF_PREFIX}${process.pid}`);
  try {
    await mkdir(leaf, { recursive: true });
    await writeFile(path.join(leaf, 'cgroup.procs'), String(process.pid));
    await writeFile(control, request);
    return null;
  } catch (error) {
    await writeFile(path.join(base, 'cgroup.procs'), String(process.pid)).catch(() => undefined);
    await rmdir(leaf).catch(() => undefined);
    return `${base} holds other processes, so it cannot hand the pids and memory controllers to a child (${(error as Error).message}); run the agent in a delegated cgroup of its own`;
  }
}

/** Our own cgroup in each v1 hierarchy (pids, memory) where a child can be made; else why not. */
export async function findCgroupV1(): Promise<CgroupHierarchy | string> {
  const [pids, memory] = await Promise.all([usableV1Parent('pids'), usableV1Parent('memory')]);
  if (pids === null && memory === null) return `no writable cgroup v1 pids or memory hierarchy under ${CGROUP_ROOT}`;
  const parents = [pids, memory].filter((parent): parent is string => parent !== null);
  await removeAbandonedGroups(parents);
  return { version: 'v1', processes: pids !== null, memory: memory !== null, parents };
}

async function usableV1Parent(controller: 'pids' | 'memory'): Promise<string | null> {
  const own = (await readFile('/proc/self/cgroup', 'utf8').catch(() => ''))
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[1]?.split(',').includes(controller));
  if (!own || own[2] === undefined) return null;
  const parent = path.join(CGROUP_ROOT, controller, own[2]);
  return (await canMakeChild(parent)) ? parent : null;
}

async function canMakeChild(parent: string): Promise<boolean> {
  const probe = path.join(parent, `${CGROUP_PREFIX}probe-${process.pid}`);
  try {
    await mkdir(probe);
    await rmdir(probe);
    return true;
  } catch {
    return false;
  }
}

/** Groups named `name` holding the limits this hierarchy can hold (null = none asked). */
export async function makeCommandGroups(hierarchy: CgroupHierarchy, name: string, limits: { processes: number | null; memoryBytes: number | null }): Promise<CommandGroups> {
  const processes = hierarchy.processes ? limits.processes : null;
  const memory = hierarchy.memory ? limits.memoryBytes : null;
  if (hierarchy.version === 'v2') {
    const dir = path.join(hierarchy.parents[0]!, name);
    await mkdir(dir);
    if (processes !== null) await writeFile(path.join(dir, 'pids.max'), String(processes));
    if (memory !== null) {
      await writeFile(path.join(dir, 'memory.max'), String(memory));
      // Swap would let a command go past the limit instead of being stopped.
      await writeFile(path.join(dir, 'memory.swap.max'), '0').catch(() => undefined);
    }
    return {
      procsFiles: [path.join(dir, 'cgroup.procs')],
      async limitHit() {
        if (processes !== null && counter(await readFile(path.join(dir, 'pids.events'), 'utf8').catch(() => ''), 'max') > 0) return 'processes';
        const events = await readFile(path.join(dir, 'memory.events'), 'utf8').catch(() => '');
        if (memory !== null && (counter(events, 'oom_kill') > 0 || counter(events, 'oom') > 0 || counter(events, 'max') > 0)) return 'memory';
        return null;
      },
      async remove() {
        // cgroup.kill (Linux 5.14) kills every process of the group at once, forks in flight included.
        await writeFile(path.join(dir, 'cgroup.kill'), '1').catch(() => undefined);
        await removeGroup(dir);
      },
    };
  }
  const [pidsParent, memoryParent] = [hierarchy.parents.find((parent) => parent.startsWith(`${CGROUP_ROOT}/pids`)), hierarchy.parents.find((parent) => parent.startsWith(`${CGROUP_ROOT}/memory`))];
  const groups: Array<{ controller: 'pids' | 'memory'; dir: string }> = [];
  if (processes !== null && pidsParent) groups.push(await makeV1Group('pids', path.join(pidsParent, name), { 'pids.max': String(processes) }));
  if (memory !== null && memoryParent) groups.push(await makeV1Group('memory', path.join(memoryParent, name), { 'memory.limit_in_bytes': String(memory) }));
  return {
    procsFiles: groups.map((group) => path.join(group.dir, 'cgroup.procs')),
    async limitHit() {
      for (const group of groups) {
        if (group.controller === 'pids') {
          if (counter(await readFile(path.join(group.dir, 'pids.events'), 'utf8').catch(() => ''), 'max') > 0) return 'processes';
        } else {
          const oom = await readFile(path.join(group.dir, 'memory.oom_control'), 'utf8').catch(() => '');
          const failures = await readFile(path.join(group.dir, 'memory.failcnt'), 'utf8').catch(() => '0');
          if (counter(oom, 'oom_kill') > 0 || Number(failures) > 0) return 'memory';
        }
      }
      return null;
    },
    async remove() {
      await Promise.all(groups.map((group) => removeGroup(group.dir)));
    },
  };
}

async function makeV1Group(controller: 'pids' | 'memory', dir: string, settings: Record<string, string>) {
  await mkdir(dir);
  for (const [file, value] of Object.entries(settings)) await writeFile(path.join(dir, file), value);
  return { controller, dir };
}

/** Kills whatever is still in the cgroup and removes it; retried while the kernel reaps. */
export async function removeGroup(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    for (const pid of await groupProcesses(dir)) killQuietly(pid);
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Groups of jails whose owning process is gone (a crashed run): their processes are killed, the groups removed. */
async function removeAbandonedGroups(parents: readonly string[]): Promise<void> {
  const owned = new RegExp(`^(?:${CGROUP_PREFIX}(\\d+)-\\d+|${AGENT_LEAF_PREFIX}(\\d+))$`);
  for (const parent of parents) {
    for (const entry of await readdir(parent).catch(() => [] as string[])) {
      const match = owned.exec(entry);
      const owner = match?.[1] ?? match?.[2];
      if (owner === undefined || isAlive(Number(owner))) continue;
      // A dead agent's own leaf is removed only when empty: what is left there is not a jail's.
      if (match?.[2] !== undefined) await rmdir(path.join(parent, entry)).catch(() => undefined);
      else await removeGroup(path.join(parent, entry));
    }
  }
}

async function groupProcesses(dir: string): Promise<number[]> {
  return (await readFile(path.join(dir, 'cgroup.procs'), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map(Number);
}

/** A `name value` line of an events or stat file. */
function counter(text: string, name: string): number {
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
}

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
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
