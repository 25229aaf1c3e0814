// A short-lived exclusive lock around a read-modify-write of a state file, so `objective add`
// from another process never loses an update made by a running cycle (or the reverse).
import { open, readFile, unlink } from 'node:fs/promises';
import { throwIfAborted } from '../core/abort.js';

export interface FileLockOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function withFileLock<T>(lockFile: string, action: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    throwIfAborted(options.signal);
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await holderIsGone(lockFile)) {
        await unlink(lockFile).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lockFile}: still locked after ${options.timeoutMs ?? 10_000} ms; remove it if no Hephaestus process is running`);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }
  try {
    return await action();
  } finally {
    await unlink(lockFile).catch(() => undefined);
  }
}

async function holderIsGone(lockFile: string): Promise<boolean> {
  const text = await readFile(lockFile, 'utf8').catch(() => null);
  const pid = Number(text);
  if (text === null || text === '' || !Number.isInteger(pid) || pid <= 0) return false; // being written: wait
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
