// What a jail shows of the host's accounts: an /etc/passwd and /etc/group of its own (root,
// the user commands run as, with the jail's empty home, and nobody), no password hashes, and
// no other user's home, so model-written code learns nothing of the machine's users.
import { statSync } from 'node:fs';
import os from 'node:os';

export interface JailAccounts {
  /** Target path → content, laid over the host's file inside the jail. */
  files: Record<string, string>;
  /** Host files replaced by an empty one (password and group hashes). */
  maskedFiles: string[];
  /** Directories of other users' homes, hidden behind an empty tmpfs. */
  hiddenPaths: string[];
}

const SHADOW_FILES = ['/etc/shadow', '/etc/gshadow', '/etc/shadow-', '/etc/gshadow-'];
const HOME_ROOTS = ['/home', '/root'];

export function jailAccounts(home: string): JailAccounts {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const name = uid === 0 ? 'root' : userName();
  const passwd = [
    ...(uid === 0 ? [] : ['root:x:0:0:root:/root:/bin/sh']),
    `${name}:x:${uid}:${gid}:${name}:${home}:/bin/sh`,
    ...(uid === 65534 ? [] : ['nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin']),
  ];
  const group = [...(gid === 0 ? [] : ['root:x:0:']), `${gid === 0 ? 'root' : name}:x:${gid}:`, ...(gid === 65534 ? [] : ['nogroup:x:65534:'])];
  return {
    files: { '/etc/passwd': `${passwd.join('\n')}\n`, '/etc/group': `${group.join('\n')}\n` },
    maskedFiles: SHADOW_FILES.filter(exists),
    hiddenPaths: HOME_ROOTS.filter((directory) => statSync(directory, { throwIfNoEntry: false })?.isDirectory() ?? false),
  };
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No entry for this uid on the host.
    return 'user';
  }
}

function exists(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false }) !== undefined;
}
