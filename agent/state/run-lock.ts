// One run per repository: `.hephaestus/run.lock` holds pid, host and start time.
// A lock whose process is gone (same host, dead pid) is taken over with a warning.
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LockHeldError } from '../core/errors.js';

export const LOCK_FILE_NAME = 'run.lock';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export interface RunLock {
  file: string;
  holder: LockHolder;
  /** Set when a stale lock was taken over. */
  tookOverFrom: LockHolder | null;
  release(): Promise<void>;
}

export interface AcquireRunLockOptions {
  command: string;
  onStaleLock?: (stale: LockHolder | null) => void;
}

export async function acquireRunLock(stateDir: string, options: AcquireRunLockOptions): Promise<RunLock> {
  const file = path.join(stateDir, LOCK_FILE_NAME);
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), command: options.command };
  let tookOverFrom: LockHolder | null = null;
  let clearedStale = false;

  for (let attempt = 0; attempt < 5; attempt++) {
    if (await tryCreate(file, holder)) {
      // Warn only when this process really holds the lock it cleared.
      if (clearedStale) options.onStaleLock?.(tookOverFrom);
      return { file, holder, tookOverFrom, release: () => releaseLock(file, holder) };
    }
    const current = await readHolder(file);
    if (current === undefined) continue; // vanished between create and read: try again
    if (current && isAlive(current)) {
      throw new LockHeldError(
        `${file}: another Hephaestus run holds this repository (pid ${current.pid} on ${current.host}, "${current.command}", since ${current.startedAt}). ` +
          'Wait for it to finish, or stop that process.',
        { details: { holder: current } },
      );
    }
    if (await takeOver(file, current)) {
      tookOverFrom = current;
      clearedStale = true;
    }
  }
  throw new LockHeldError(`${file}: could not acquire the run lock after several attempts; another process keeps replacing it.`);
}

/** Writes the holder to a private temp file, then links it into place: the lock appears
 *  atomically with its whole content, so no reader ever sees a half-written lock. */
async function tryCreate(file: string, holder: LockHolder): Promise<boolean> {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(`${JSON.stringify(holder)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** undefined: no lock file; null: unreadable or corrupt (treated as stale). */
async function readHolder(file: string): Promise<LockHolder | null | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null;
    return { pid: value.pid, host: value.host, startedAt: String(value.startedAt ?? 'unknown'), command: String(value.command ?? 'unknown') };
  } catch {
    return null;
  }
}

function isAlive(holder: LockHolder): boolean {
  // A lock from another host cannot be checked: respect it.
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves the stale lock aside atomically, then checks that what was moved is still the stale
 * lock: if another process took it over in between, its fresh lock is put back.
 */
async function takeOver(file: string, stale: LockHolder | null): Promise<boolean> {
  const aside = `${file}.stale-${process.pid}-${Date.now()}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const moved = await readHolder(aside);
  if (moved && isAlive(moved) && !(stale && moved.pid === stale.pid && moved.startedAt === stale.startedAt)) {
    await link(aside, file).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    return false;
  }
  await unlink(aside).catch(() => undefined);
  return true;
}

async function releaseLock(file: string, holder: LockHolder): Promise<void> {
  const current = await readHolder(file);
  if (current && current.pid === holder.pid && current.startedAt === holder.startedAt) {
    await unlink(file).catch(() => undefined);
  }
}
