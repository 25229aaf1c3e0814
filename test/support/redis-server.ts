// A real redis-server for tests and benchmarks: started on a free loopback port in a temp dir,
// without persistence, ready once it answers PING, stopped (and its dir removed) by stop().
//
//   const redis = await startRedisServer();
//   redis.url   // redis://127.0.0.1:<port>
//   await redis.stop();
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

export interface RedisServer {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

const START_ATTEMPTS = 3;

export async function startRedisServer(): Promise<RedisServer> {
  let lastError: unknown;
  // A port found free can be taken by another process before redis binds it: try again.
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt += 1) {
    try {
      return await startOnce(await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(port: number): Promise<RedisServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hephaestus-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      waitForOutput(child, /Ready to accept connections/),
      exited.then(() => {
        throw new Error(`redis-server exited before it was ready:\n${output}`);
      }),
      once(child, 'error').then(([error]) => {
        throw new Error(`cannot start redis-server (install the Debian package redis-server): ${(error as Error).message}`);
      }),
    ]);
    const url = `redis://127.0.0.1:${port}`;
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      const pong = await client.ping();
      if (pong !== 'PONG') throw new Error(`redis-server on ${url} answered PING with ${pong}`);
    } finally {
      client.disconnect();
    }
    return { url, port, process: child, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (!pattern.test(seen)) return;
      child.stdout!.off('data', onData);
      resolve();
    };
    child.stdout!.on('data', onData);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
