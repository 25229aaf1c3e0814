// What a benchmark's processes cost the machine, read from Linux's /proc: CPU time of a process
// (with its waited-for children, e.g. git), the time its threads were runnable but waited for a
// core (the scheduler's run queue), and the share of the machine left idle. Where /proc is
// missing every reading is null and the figures are left out.
import { readFile, readdir } from 'node:fs/promises';

export interface ProcessUsage {
  /** User + system time of the process and its reaped children, ms. */
  cpuMs: number;
  /** Time its threads were ready to run but waited for a core, ms. */
  runQueueMs: number;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

export async function processUsage(pid: number): Promise<ProcessUsage | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm) ": utime, stime, cutime, cstime are the 12th to 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
    let runQueueNs = 0;
    for (const task of await readdir(`/proc/${pid}/task`)) {
      const schedule = await readFile(`/proc/${pid}/task/${task}/schedstat`, 'utf8').catch(() => '0 0 0');
      runQueueNs += Number(schedule.split(' ')[1]);
    }
    return { cpuMs: (ticks * 1_000) / TICKS_PER_SECOND, runQueueMs: runQueueNs / 1e6 };
  } catch {
    return null;
  }
}

export function usageBetween(before: ProcessUsage | null, after: ProcessUsage | null): ProcessUsage | null {
  if (before === null || after === null) return null;
  return { cpuMs: after.cpuMs - before.cpuMs, runQueueMs: after.runQueueMs - before.runQueueMs };
}

export interface MachineTimes {
  idle: number;
  total: number;
}

/** The machine's CPU counters (all cores), or null. */
export async function machineTimes(): Promise<MachineTimes | null> {
  try {
    const [first] = (await readFile('/proc/stat', 'utf8')).split('\n');
    const values = first!.trim().split(/\s+/).slice(1).map(Number);
    return { idle: values[3]! + values[4]!, total: values.reduce((sum, value) => sum + value, 0) };
  } catch {
    return null;
  }
}

/** The share of the machine's CPU time left idle between two readings, in %. */
export function idlePercent(before: MachineTimes | null, after: MachineTimes | null): number | null {
  if (before === null || after === null || after.total === before.total) return null;
  return (100 * (after.idle - before.idle)) / (after.total - before.total);
}
