// The provider's request and token limits held across every worker of the fleet: the sliding
// 60-second window of started requests lives in Redis (a sorted set of start times and a hash
// of their tokens), checked and updated by one script so two workers never both take the last
// slot. The concurrency cap stays per process. Times come from the Clock, which must count ms
// since the epoch on every worker (the system clock does).
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { throwIfAborted } from '../core/abort.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { RateLimits } from '../llm/rate-limit-presets.js';
import { createRateLimiter, type RateLimitPermit, type RateLimiter } from '../llm/rate-limiter.js';

const WINDOW_MS = 60_000;

// KEYS: started (zset id → at), tokens (hash id → tokens). ARGV: now, rpm|-1, tpm|-1, tokens, id, window.
// Returns 0 when the request was started, else the ms to wait (the same rule as the in-process limiter).
const START_SCRIPT = `
local now, rpm, tpm, tokens, id, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local expired = redis.call('zrangebyscore', KEYS[1], '-inf', now - window)
for _, old in ipairs(expired) do redis.call('hdel', KEYS[2], old) end
redis.call('zremrangebyscore', KEYS[1], '-inf', now - window)
local started = redis.call('zrange', KEYS[1], 0, -1, 'WITHSCORES')
local count = #started / 2
local wait = 0
if rpm >= 0 and count >= rpm then
  wait = tonumber(started[(count - rpm) * 2 + 2]) + window - now
end
if tpm >= 0 and count > 0 then
  local inWindow = 0
  local amounts = {}
  for i = 1, count do
    amounts[i] = tonumber(redis.call('hget', KEYS[2], started[i * 2 - 1]) or '0')
    inWindow = inWindow + amounts[i]
  end
  for i = 1, count do
    if inWindow + tokens <= tpm then break end
    inWindow = inWindow - amounts[i]
    wait = math.max(wait, tonumber(started[i * 2]) + window - now)
  end
end
if wait > 0 then return wait end
redis.call('zadd', KEYS[1], now, id)
redis.call('hset', KEYS[2], id, tokens)
redis.call('pexpire', KEYS[1], window * 2)
redis.call('pexpire', KEYS[2], window * 2)
return 0`;

const ADJUST_SCRIPT = `if redis.call('hexists', KEYS[1], ARGV[1]) == 1 then redis.call('hset', KEYS[1], ARGV[1], ARGV[2]) end return 0`;

export interface RedisRateLimiterOptions {
  /** The key prefix of this window; workers sharing a provider account share it. */
  key: string;
  clock?: Clock;
}

export function createRedisRateLimiter(redis: Redis, limits: RateLimits, options: RedisRateLimiterOptions): RateLimiter {
  const clock = options.clock ?? systemClock;
  const startedKey = `${options.key}:started`;
  const tokensKey = `${options.key}:tokens`;
  const local = createRateLimiter({ requestsPerMinute: null, tokensPerMinute: null, maxConcurrent: limits.maxConcurrent }, clock);
  const closing = new AbortController();

  async function startInWindow(id: string, tokens: number, signal: AbortSignal | undefined): Promise<void> {
    const waitSignal = signal ? AbortSignal.any([signal, closing.signal]) : closing.signal;
    for (;;) {
      throwIfAborted(waitSignal);
      const wait = Number(
        await redis.eval(START_SCRIPT, 2, startedKey, tokensKey, String(clock.now()), String(limits.requestsPerMinute ?? -1), String(limits.tokensPerMinute ?? -1), String(tokens), id, String(WINDOW_MS)),
      );
      if (wait <= 0) return;
      await clock.sleep(wait, waitSignal);
    }
  }

  return {
    limits,
    async acquire(estimatedTokens, signal) {
      const permit = await local.acquire(estimatedTokens, signal);
      const id = randomUUID();
      try {
        if (limits.requestsPerMinute !== null || limits.tokensPerMinute !== null) await startInWindow(id, Math.max(0, Math.round(estimatedTokens)), signal);
      } catch (error) {
        permit.release();
        throw error;
      }
      return {
        release(actualTokens) {
          permit.release(actualTokens);
          if (actualTokens !== undefined) {
            void redis.eval(ADJUST_SCRIPT, 1, tokensKey, id, String(Math.max(0, Math.round(actualTokens)))).catch(() => undefined);
          }
        },
      } satisfies RateLimitPermit;
    },
    state: () => local.state(),
    close() {
      closing.abort();
      local.close();
    },
  };
}
