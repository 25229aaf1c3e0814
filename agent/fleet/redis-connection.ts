// Where the fleet's Redis is (`--redis URL` or HEPHAESTUS_REDIS_URL) and a connection to it that
// fails fast with a sentence naming the URL and how to start a server, instead of retrying forever.
import { Redis } from 'ioredis';
import { RedisUnreachableError, RedisUrlError } from './fleet-errors.js';

export const REDIS_URL_VARIABLE = 'HEPHAESTUS_REDIS_URL';
const CONNECT_TIMEOUT_MS = 5_000;

/** The Redis URL from the option, else the environment; a usage error when neither or a bad one is given. */
export function resolveRedisUrl(option: string | undefined, environment: NodeJS.ProcessEnv = process.env): string {
  const given = option ?? environment[REDIS_URL_VARIABLE];
  const from = option !== undefined ? '--redis' : REDIS_URL_VARIABLE;
  if (given === undefined || given.trim() === '') {
    throw new RedisUrlError(`no Redis given: pass --redis redis://HOST:PORT or set ${REDIS_URL_VARIABLE}. ${howToStart()}`);
  }
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new RedisUrlError(`${from} "${given}" is not a URL; expected e.g. redis://127.0.0.1:6379 (or rediss:// for TLS).`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RedisUrlError(`${from} "${given}" is a ${url.protocol.replace(/:$/, '')} URL; expected redis://HOST:PORT or rediss://HOST:PORT.`);
  }
  if (url.hostname === '') throw new RedisUrlError(`${from} "${given}" names no host; expected e.g. redis://127.0.0.1:6379.`);
  const database = url.pathname.replace(/^\//, '');
  if (database !== '' && !/^\d+$/.test(database)) throw new RedisUrlError(`${from} "${given}": the path must be a database number (e.g. /0), not "${database}".`);
  return given;
}

/** Opens a connection and checks it with PING; RedisUnreachableError when nothing answers. */
export async function connectRedis(url: string, options: { forBullmq?: boolean } = {}): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // BullMQ's blocking connections need null; one-shot commands fail after one attempt.
    maxRetriesPerRequest: options.forBullmq ? null : 1,
    retryStrategy: (times) => (times > 3 ? null : Math.min(times * 200, 1_000)),
  });
  // The socket's error says more ("connect ECONNREFUSED 127.0.0.1:6379") than the rejected connect.
  let socketError: Error | null = null;
  client.on('error', (error: Error) => {
    socketError ??= error;
  });
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    const reason = (socketError ?? (error as Error)).message.replace(/\.+$/, '');
    throw new RedisUnreachableError(`cannot reach Redis at ${redactUrl(url)} (${reason}). ${howToStart()}`, { cause: error, details: { url: redactUrl(url) } });
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

function howToStart(): string {
  return 'Start one with "redis-server --port 6379" (Debian: apt-get install redis-server) and pass --redis redis://127.0.0.1:6379.';
}
