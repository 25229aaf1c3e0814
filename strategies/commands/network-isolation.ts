// `sandbox.network: "off"`: commands run in a fresh network namespace (`unshare -rn`, an
// unprivileged user namespace with only a loopback device). Whether the system allows it is
// probed once per process; where it does not, commands run normally after a clear warning.
import { execFile } from 'node:child_process';
import type { Logger } from 'pino';

const UNSHARE_ARGV = ['unshare', '--user', '--map-root-user', '--net', '--'];

// The probe answers a question about the machine, not about a run: memoised per process.
let probe: Promise<boolean> | null = null;

export function canIsolateNetwork(): Promise<boolean> {
  probe ??= new Promise((resolve) => {
    execFile(UNSHARE_ARGV[0]!, [...UNSHARE_ARGV.slice(1), 'true'], { timeout: 5_000 }, (error) => resolve(error === null));
  });
  return probe;
}

/** argv that runs `argv` with network `mode`; warns once per process when "off" is not possible. */
export async function withNetworkMode(argv: readonly string[], mode: 'on' | 'off', logger: Logger): Promise<string[]> {
  if (mode === 'on') return [...argv];
  if (await canIsolateNetwork()) return [...UNSHARE_ARGV, ...argv];
  warnOnce(logger);
  return [...argv];
}

let warned = false;

function warnOnce(logger: Logger): void {
  if (warned) return;
  warned = true;
  logger.warn(
    { event: 'network-isolation-unavailable' },
    'sandbox.network is "off" but this system does not allow `unshare -rn` (unprivileged user namespaces are disabled or unshare is missing); validation commands run WITH network access',
  );
}
