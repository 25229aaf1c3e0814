// `sandbox.isolation`: whether bubblewrap can build a jail on this machine is probed once per
// process, with the same namespaces a step uses. "auto" and "bwrap" refuse to run model-written
// code without one; only an explicit "none" runs commands unjailed.
import { execFile } from 'node:child_process';
import { HephaestusError, type HephaestusErrorOptions } from '../../agent/core/errors.js';
import { BWRAP, bwrapArguments } from './bwrap-arguments.js';
import { DEFAULT_LIMITS, type IsolationSetting } from './jail-settings.js';

export type Isolation = 'bwrap' | 'none';

/** No jail can be built here and the configuration does not allow running without one. */
export class JailUnavailableError extends HephaestusError {
  constructor(message: string, options: HephaestusErrorOptions = {}) {
    super('JAIL_UNAVAILABLE', message, options);
  }
}

export interface JailProbe {
  ok: boolean;
  /** What bwrap said when it could not run. */
  problem: string | null;
}

const probes = new Map<string, Promise<JailProbe>>();

/** Whether the bwrap on PATH runs here with a new user, PID and network namespace. Memoised per process and PATH. */
export function probeJail(): Promise<JailProbe> {
  const searchPath = process.env.PATH ?? '';
  let probe = probes.get(searchPath);
  if (probe) return probe;
  probe = new Promise((resolve) => {
    const settings = { isolation: 'bwrap', network: 'off', writablePaths: [], readOnlyPaths: [], hiddenPaths: [], maskedFiles: [], environment: {}, limits: DEFAULT_LIMITS } as const;
    const argv = bwrapArguments({ settings, cwd: '/', home: '/tmp/home' });
    execFile(BWRAP, [...argv, 'true'], { timeout: 10_000 }, (error, _stdout, stderr) => {
      if (error === null) resolve({ ok: true, problem: null });
      else resolve({ ok: false, problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'bwrap is not installed' : stderr.trim() || error.message });
    });
  });
  probes.set(searchPath, probe);
  return probe;
}

export const JAIL_FIX =
  'Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) and allow unprivileged user namespaces ' +
  '(sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0), ' +
  'or set "sandbox": { "isolation": "none" } in hephaestus.config.json to run validation commands WITHOUT a jail (unsafe: model-written code then runs as you).';

/** The isolation commands run with; throws JailUnavailableError when a jail is required and cannot be built. */
export async function resolveIsolation(setting: IsolationSetting): Promise<Isolation> {
  if (setting === 'none') return 'none';
  const result = await probeJail();
  if (result.ok) return 'bwrap';
  throw new JailUnavailableError(`sandbox.isolation is "${setting}" but no bubblewrap jail can be built on this machine (${result.problem}). ${JAIL_FIX}`, {
    details: { isolation: setting, problem: result.problem },
  });
}

export const UNJAILED_WARNING =
  'WARNING: sandbox.isolation is "none": validation commands run model-written code WITHOUT a jail, as this user, with access to ' +
  'the repository, its .git, the home directory and the network. Use it only on a throw-away machine or container.';
