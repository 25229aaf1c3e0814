// Watches the processes of one jailed command when no cgroup holds them, and kills the command
// once they hold more tasks or memory than its limits allow. It covers what setrlimit cannot:
// RLIMIT_NPROC does not bind a root-owned jail, and RLIMIT_DATA bounds each process, not the
// command. The jail's processes are those of its PID namespace (every orphan there is reparented
// to the jail's init); without a jail, those of the command's process group.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface WatchedLimits {
  /** Processes and threads at once; null = not watched. */
  tasks: number | null;
  /** Anonymous and shared resident memory of all the processes, in bytes; null = not watched. */
  memoryBytes: number | null;
}

export interface WatchReport {
  /** The limit the watchdog stopped the command for. */
  stoppedFor: 'processes' | 'memory' | null;
  /** Most tasks seen at once. */
  peakTasks: number;
}

export interface Watchdog {
  stop(): WatchReport;
}

const POLL_MS = 40;

/** Starts polling the processes of the command whose first process is `pid`. */
export function watchProcesses(pid: number, limits: WatchedLimits, options: { ownNamespace: boolean }): Watchdog {
  const report: WatchReport = { stoppedFor: null, peakTasks: 0 };
  const ownNamespace = safeReadlink('/proc/self/ns/pid');
  let jailNamespace: string | null = null;
  let jailInit: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const members = (): number[] => {
    const all = processIds();
    if (!options.ownNamespace) return all.filter((candidate) => candidate === pid || statField(candidate, 5) === pid);
    if (jailNamespace === null) {
      // The jail's init is the one child of bubblewrap's first process in another PID namespace.
      for (const candidate of all) {
        const namespace = safeReadlink(`/proc/${candidate}/ns/pid`);
        if (namespace === null || namespace === ownNamespace || statField(candidate, 4) !== pid) continue;
        jailNamespace = namespace;
        jailInit = candidate;
        break;
      }
      if (jailNamespace === null) return [pid];
    }
    return [pid, ...all.filter((candidate) => candidate !== pid && safeReadlink(`/proc/${candidate}/ns/pid`) === jailNamespace)];
  };

  const stopCommand = (reason: 'processes' | 'memory') => {
    report.stoppedFor = reason;
    // The jail's init takes its whole PID namespace with it; the group covers an unjailed command.
    for (const target of [jailInit, pid]) if (target !== null) killQuietly(target);
    if (!options.ownNamespace) killQuietly(-pid);
  };

  const poll = () => {
    if (stopped) return;
    const started = performance.now();
    let tasks = 0;
    let memory = 0;
    for (const member of members()) {
      const usage = usageOf(member);
      tasks += usage.tasks;
      memory += usage.memoryBytes;
    }
    report.peakTasks = Math.max(report.peakTasks, tasks);
    if (limits.tasks !== null && tasks > limits.tasks) stopCommand('processes');
    else if (limits.memoryBytes !== null && memory > limits.memoryBytes) stopCommand('memory');
    // Reading /proc blocks the event loop: on a busy machine polls are spaced out, never back to back.
    if (report.stoppedFor === null) timer = setTimeout(poll, Math.max(POLL_MS, 4 * (performance.now() - started)));
  };
  timer = setTimeout(poll, POLL_MS);

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      return { ...report };
    },
  };
}

function processIds(): number[] {
  const ids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const code = entry.charCodeAt(0);
    if (code >= 48 && code <= 57) ids.push(Number(entry));
  }
  return ids;
}

/** Threads and resident private memory of one process (0 when it is gone). */
function usageOf(pid: number): { tasks: number; memoryBytes: number } {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return { tasks: 0, memoryBytes: 0 };
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { tasks: field('Threads'), memoryBytes: (field('RssAnon') + field('RssShmem')) * 1024 };
}

/** A numeric field of /proc/PID/stat (4 = parent pid, 5 = process group), counted after the command name. */
function statField(pid: number, field: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[field - 3]);
  } catch {
    return null;
  }
}

function safeReadlink(file: string): string | null {
  try {
    return readlinkSync(file);
  } catch {
    return null;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
