// Per-command limits (`sandbox.limits`), by the mechanism limit-mechanism.ts chose: processes
// and memory in a cgroup of the command's own where one can be made (which also tells which
// limit was hit), else as rlimits set inside the jail plus a watchdog on its processes; the file
// size always as an rlimit. Whatever the mechanism, a command that reaches a limit ends
// `limit-exceeded` with the limit named, and none of its processes survives it.
import type { Logger } from 'pino';
import { makeCommandGroups, type CommandGroups } from './cgroup-limits.js';
import type { StepLimits } from './jail-settings.js';
import { resolveLimitMechanism, type LimitMechanismName } from './limit-mechanism.js';
import { watchProcesses, type Watchdog } from './process-watchdog.js';

export { CGROUP_PREFIX } from './cgroup-limits.js';

export type LimitName = 'processes' | 'memory' | 'file-size';

export interface LimitHit {
  limit: LimitName;
  message: string;
}

export interface LimitedCommand {
  mechanism: LimitMechanismName;
  /** argv in front of the jail (joins the cgroups). */
  prefix: string[];
  /** argv inside the jail, in front of the command (prlimit). */
  innerPrefix: string[];
  /** The command's first process exists: the watchdog, when there is one, starts on it. */
  started(pid: number, options: { ownNamespace: boolean }): void;
  /** After the command: which limit it hit, if any; kills what is left in its cgroup and removes it. */
  finish(result: { exitCode: number | null; outputTail: string }): Promise<LimitHit | null>;
}

const SIGXFSZ_EXIT = 128 + 25;
/** What a process that could not get memory or a process under an rlimit prints. */
const OUT_OF_MEMORY = /Array buffer allocation failed|JavaScript heap out of memory|Cannot allocate memory|\bENOMEM\b|\bMemoryError\b|std::bad_alloc/;
const NO_MORE_PROCESSES = /\bEAGAIN\b|Resource temporarily unavailable|fork: retry|Cannot fork/;
let counter = 0;

export async function prepareLimits(limits: StepLimits, logger?: Logger): Promise<LimitedCommand> {
  const mechanism = await resolveLimitMechanism(limits.mechanism ?? 'auto', logger);
  const hierarchy = mechanism.hierarchy;
  const wantsGroups = hierarchy !== null && ((hierarchy.processes && limits.processes !== null) || (hierarchy.memory && limits.memoryBytes !== null));
  const groups: CommandGroups | null = wantsGroups ? await makeCommandGroups(hierarchy, `hephaestus-jail-${process.pid}-${++counter}`, limits) : null;
  // What no cgroup holds is bounded by rlimits and watched.
  const watched = { tasks: hierarchy?.processes ? null : limits.processes, memoryBytes: hierarchy?.memory ? null : limits.memoryBytes };
  const rlimits: string[] = [];
  if (limits.fileSizeBytes !== null) rlimits.push(`--fsize=${limits.fileSizeBytes}`);
  // Inside the jail's user namespace RLIMIT_NPROC counts the jail's processes only; it does not bind root.
  if (watched.tasks !== null) rlimits.push(`--nproc=${watched.tasks}`);
  if (watched.memoryBytes !== null) rlimits.push(`--data=${watched.memoryBytes}`);

  const prefix: string[] = [];
  if (groups !== null && groups.procsFiles.length > 0) {
    // The shell joins the cgroups before anything of the command exists, then becomes it.
    prefix.push('/bin/sh', '-c', 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 126; shift; done; shift; exec "$@"', 'jail', ...groups.procsFiles, '--');
  }
  let watchdog: Watchdog | null = null;

  return {
    mechanism: mechanism.name,
    prefix,
    innerPrefix: rlimits.length > 0 ? ['prlimit', ...rlimits, '--'] : [],
    started(pid, options) {
      if (watched.tasks !== null || watched.memoryBytes !== null) watchdog = watchProcesses(pid, watched, options);
    },
    async finish(result) {
      const watch = (watchdog as Watchdog | null)?.stop() ?? null;
      const grouped = groups ? await groups.limitHit() : null;
      await groups?.remove();
      const failed = result.exitCode !== 0;
      let limit: LimitName | null = grouped ?? watch?.stoppedFor ?? null;
      if (limit === null && failed && watched.tasks !== null && ((watch !== null && watch.peakTasks >= watched.tasks) || NO_MORE_PROCESSES.test(result.outputTail))) limit = 'processes';
      if (limit === null && failed && watched.memoryBytes !== null && OUT_OF_MEMORY.test(result.outputTail)) limit = 'memory';
      if (limit === null && limits.fileSizeBytes !== null && (result.exitCode === SIGXFSZ_EXIT || /\bEFBIG\b|File too large/.test(result.outputTail))) limit = 'file-size';
      return limit === null ? null : { limit, message: messageOf(limit, limits) };
    },
  };
}

function messageOf(limit: LimitName, limits: StepLimits): string {
  if (limit === 'processes') return `the command reached the limit of ${limits.processes} processes and threads (sandbox.limits.processes)`;
  if (limit === 'memory') return `the command reached the memory limit of ${megabytes(limits.memoryBytes)} MB (sandbox.limits.memoryMb)`;
  return `the command tried to write a file larger than ${megabytes(limits.fileSizeBytes)} MB (sandbox.limits.fileSizeMb)`;
}

function megabytes(bytes: number | null): number {
  return Math.round((bytes ?? 0) / (1024 * 1024));
}
