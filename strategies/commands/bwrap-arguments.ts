// The bubblewrap command line of a jail. Mount order matters: later mounts are laid over
// earlier ones, so the read-only root comes first, then the fresh tmpfs directories (/tmp,
// $HOME, /run and every hidden path), then the read-only shares, then the writable sandbox,
// and last the masks over the sandbox's `.git` link.
import path from 'node:path';
import type { JailSettings } from './jail-settings.js';

export const BWRAP = 'bwrap';

export interface BwrapLayout {
  settings: JailSettings;
  /** Working directory inside the jail (a writable path or below one). */
  cwd: string;
  /** The jail's empty home directory. */
  home: string;
}

export function bwrapArguments(layout: BwrapLayout): string[] {
  const { settings } = layout;
  const argv = [
    '--die-with-parent',
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(settings.network === 'off' ? ['--unshare-net'] : []),
    // Model code cannot make a user namespace of its own to regain capabilities in it.
    '--disable-userns',
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
  ];
  // Fresh, empty directories: /tmp private to the command, no sockets of the host's daemons,
  // an empty home, and nothing of the user's repository or its git directory.
  const emptied = unique(['/tmp', '/var/tmp', '/run', layout.home, ...settings.hiddenPaths.map(clean)]);
  for (const directory of outermostFirst(emptied)) argv.push('--tmpfs', directory);
  for (const share of outermostFirst(unique(settings.readOnlyPaths.map(clean)))) argv.push('--ro-bind-try', share, share);
  for (const writable of outermostFirst(unique(settings.writablePaths.map(clean)))) argv.push('--bind', writable, writable);
  for (const file of unique(settings.maskedFiles.map(clean))) argv.push('--ro-bind-try', '/dev/null', file);
  argv.push('--chdir', layout.cwd, '--');
  return argv;
}

function clean(file: string): string {
  return path.resolve(file);
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}

/** Parents before children, so a child mount is not hidden by its parent's. */
function outermostFirst(paths: string[]): string[] {
  return [...paths].sort((left, right) => left.split('/').length - right.split('/').length || left.localeCompare(right));
}
