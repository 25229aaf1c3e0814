// One run per repository across the fleet: a Redis key set with NX and a time to live, renewed
// while the run goes on. A worker that dies stops renewing, so the key expires and another
// worker may take the repository; a holder that fails to renew is told through `lost`.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { repositoryLockKey } from './fleet-keys.js';

// Renew or delete only while the key still holds our token.
const RENEW_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RepositoryLock {
  readonly owner: string;
  /** Aborted when a renewal found the lock gone or taken: the run must stop. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

export interface AcquireLockOptions {
  /** Who holds it, as others are told (e.g. "host:pid"). */
  owner: string;
  ttlMs: number;
}

/** The lock, or null when another worker holds it. */
export async function acquireRepositoryLock(redis: Redis, repositoryId: string, options: AcquireLockOptions): Promise<RepositoryLock | null> {
  const key = repositoryLockKey(repositoryId);
  const token = `${options.owner}:${randomUUID()}`;
  const set = await redis.set(key, token, 'PX', options.ttlMs, 'NX');
  if (set !== 'OK') return null;
  const lostController = new AbortController();
  const renew = async () => {
    try {
      const renewed = await redis.eval(RENEW_SCRIPT, 1, key, token, String(options.ttlMs));
      if (renewed !== 1) lostController.abort(new Error(`the lock on ${repositoryId} expired or was taken while this worker held it`));
    } catch (error) {
      lostController.abort(error);
    }
  };
  const timer = setInterval(() => void renew(), Math.max(100, Math.floor(options.ttlMs / 3)));
  timer.unref();
  return {
    owner: options.owner,
    lost: lostController.signal,
    async release() {
      clearInterval(timer);
      await redis.eval(RELEASE_SCRIPT, 1, key, token);
    },
  };
}

/** Who holds the repository's lock now (the owner part of the token), or null. */
export async function lockHolderOf(redis: Redis, repositoryId: string): Promise<string | null> {
  const token = await redis.get(repositoryLockKey(repositoryId));
  return token === null ? null : token.slice(0, token.lastIndexOf(':'));
}
