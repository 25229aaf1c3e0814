// The bubblewrap command line of a jail. Mount order matters: a later mount is laid over an
// earlier one, so mounts go outermost first (a path before the paths inside it) and, for the
// same path, in this order: the read-only root, fresh tmpfs directories (/tmp, $HOME, /run,
// every hidden path and the scratch tool caches), read-only shares, writable paths, and the masks
// over single files (the sandbox's `.git` link, the jail's own /etc/passwd). A hidden path inside
// a writable one (a checkout's `.git`) stays hidden.
import path from 'node:path';
import type { JailSettings } from './jail-settings.js';
import type { ToolCacheMounts } from './tool-caches.js';

export const BWRAP = 'bwrap';

export interface BwrapLayout {
  settings: JailSettings;
  /** Working directory inside the jail (a writable path or below one). */
  cwd: string;
  /** The jail's empty home directory. */
  home: string;
  /** Files laid over with data the command reads from file descriptors 3, 4, … (in this order). */
  dataFiles?: readonly string[];
  /** Scratch tool caches (tool-caches.ts): shares opened up entry by entry around them. */
  caches?: ToolCacheMounts;
}

interface Mount {
  target: string;
  /** Order among mounts of the same path. */
  kind: number;
  argv: string[];
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
  const mounts: Mount[] = [];
  const caches = layout.caches ?? { scratchDirectories: [], openedShares: [], shareEntries: [], symlinks: [] };
  const opened = new Set(unique(caches.openedShares));
  // Fresh, empty directories: /tmp private to the command, no sockets of the host's daemons,
  // an empty home, nothing of the user's repository or its git directory, empty tool caches.
  const fresh = ['/tmp', '/var/tmp', '/run', layout.home, ...settings.hiddenPaths, ...caches.openedShares, ...caches.scratchDirectories];
  for (const directory of unique(fresh)) mounts.push({ target: directory, kind: 0, argv: ['--tmpfs', directory] });
  const shares = [...settings.readOnlyPaths.filter((share) => !opened.has(path.resolve(share))), ...caches.shareEntries];
  for (const share of unique(shares)) mounts.push({ target: share, kind: 1, argv: ['--ro-bind-try', share, share] });
  for (const { link, target } of caches.symlinks) mounts.push({ target: link, kind: 1, argv: ['--symlink', target, link] });
  for (const writable of unique(settings.writablePaths)) mounts.push({ target: writable, kind: 2, argv: ['--bind', writable, writable] });
  for (const file of unique(settings.maskedFiles)) mounts.push({ target: file, kind: 3, argv: ['--ro-bind-try', '/dev/null', file] });
  (layout.dataFiles ?? []).forEach((file, index) => mounts.push({ target: file, kind: 3, argv: ['--ro-bind-data', String(3 + index), file] }));
  for (const mount of outermostFirst(mounts)) argv.push(...mount.argv);
  argv.push('--chdir', layout.cwd, '--');
  return argv;
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths.map((file) => path.resolve(file)))];
}

/** Parents before children, so a child mount is not hidden by its parent's; the same path by kind. */
function outermostFirst(mounts: Mount[]): Mount[] {
  const depth = (file: string) => file.split('/').length;
  return [...mounts].sort((left, right) => depth(left.target) - depth(right.target) || left.kind - right.kind || left.target.localeCompare(right.target));
}
