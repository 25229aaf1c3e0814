// How `sandbox.limits` are enforced on this machine (`sandbox.limits.mechanism`), decided once
// per process and logged once: "auto" takes a cgroup v2 group when the unified hierarchy can
// give one, else cgroup v1 groups, else rlimits; naming a mechanism forces it. "rlimit" works
// everywhere: prlimit inside the jail (RLIMIT_NPROC then counts the jail's own user namespace,
// not every process of the user) and a watchdog on the jail's processes for what an rlimit
// cannot bound (a root-owned jail's processes, the memory of the whole command).
import type { Logger } from 'pino';
import { findCgroupV1, findCgroupV2, type CgroupHierarchy } from './cgroup-limits.js';
import type { LimitMechanismSetting } from './jail-settings.js';
import { JailUnavailableError } from './resolve-isolation.js';

export type LimitMechanismName = 'cgroup-v2' | 'cgroup-v1' | 'rlimit';

export interface LimitMechanism {
  name: LimitMechanismName;
  /** The cgroups used (null for rlimit); limits they cannot hold fall back to rlimits. */
  hierarchy: CgroupHierarchy | null;
  /** Why this one: what was found, or why the cgroups were not usable. */
  reason: string;
}

const resolved = new Map<LimitMechanismSetting, Promise<LimitMechanism>>();
const logged = new Set<LimitMechanismSetting>();

/** Memoised per setting; the first caller with a logger logs the choice. Throws JailUnavailableError for a forced mechanism that cannot work here. */
export async function resolveLimitMechanism(setting: LimitMechanismSetting = 'auto', logger?: Logger): Promise<LimitMechanism> {
  let mechanism = resolved.get(setting);
  if (mechanism === undefined) {
    mechanism = detect(setting);
    resolved.set(setting, mechanism);
  }
  const result = await mechanism;
  if (logger && !logged.has(setting)) {
    logged.add(setting);
    logger.info({ event: 'step-limits', setting, mechanism: result.name, reason: result.reason }, `step limits: ${describeMechanism(result)} (${result.reason})`);
  }
  return result;
}

async function detect(setting: LimitMechanismSetting): Promise<LimitMechanism> {
  if (setting === 'rlimit') return { name: 'rlimit', hierarchy: null, reason: 'sandbox.limits.mechanism is "rlimit"' };
  const forced = setting !== 'auto';
  if (setting === 'auto' || setting === 'cgroup-v2') {
    const v2 = await findCgroupV2();
    if (typeof v2 !== 'string') return { name: 'cgroup-v2', hierarchy: v2, reason: `cgroup v2 groups in ${v2.parents[0]}` };
    if (forced) throw unavailable(setting, v2);
    const v1 = await findCgroupV1();
    if (typeof v1 !== 'string') return { name: 'cgroup-v1', hierarchy: v1, reason: `cgroup v1 groups in ${v1.parents.join(', ')}; cgroup v2: ${v2}` };
    return { name: 'rlimit', hierarchy: null, reason: `no usable cgroup: cgroup v2: ${v2}; cgroup v1: ${v1}` };
  }
  const v1 = await findCgroupV1();
  if (typeof v1 === 'string') throw unavailable(setting, v1);
  return { name: 'cgroup-v1', hierarchy: v1, reason: `cgroup v1 groups in ${v1.parents.join(', ')}` };
}

function unavailable(setting: LimitMechanismSetting, problem: string): JailUnavailableError {
  return new JailUnavailableError(`sandbox.limits.mechanism is "${setting}", but ${problem}. Set it to "auto" or "rlimit", which work without cgroups.`);
}

/** "processes and memory in cgroup v1 groups, file size as an rlimit", and the like. */
export function describeMechanism(mechanism: LimitMechanism): string {
  const grouped = mechanism.hierarchy ? [mechanism.hierarchy.processes ? 'processes' : null, mechanism.hierarchy.memory ? 'memory' : null].filter(Boolean) : [];
  const version = mechanism.hierarchy?.version === 'v2' ? 'cgroup v2' : 'cgroup v1';
  const rest = ['processes', 'memory'].filter((limit) => !grouped.includes(limit));
  const parts = grouped.length > 0 ? [`${grouped.join(' and ')} in ${version} groups`] : [];
  if (rest.length > 0) parts.push(`${rest.join(' and ')} as rlimits in the jail, watched`);
  parts.push('file size as an rlimit');
  return parts.join(', ');
}
