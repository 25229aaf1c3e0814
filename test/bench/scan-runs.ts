// Scans the generated repository several times in this process and prints each scan's duration
// (module loading excluded) and stats as JSON lines. The first run shows what a new process pays
// (the parser and the scanner's own code not yet loaded and compiled); the later ones, a
// warmed-up process.
// Usage: node --import tsx test/bench/scan-runs.ts <repository root> <cold|warm|one-changed> <runs> <shared|new>
//   cold         empties the cache before each scan (always through a new connection)
//   warm         scans the unchanged repository
//   one-changed  gives one module new content (a new revision) before each scan
//   shared       one cache connection for every scan, as the cycle runner keeps it: it holds the
//                last snapshot, and reads only what the SQLite file says changed since
//   new          a new connection per scan, as a new process has: the snapshot is read whole
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openCache, type CountedCache } from '../../agent/cache/open-cache.js';
import { configSchema } from '../../agent/config/schema.js';
import { scanRepository } from '../../agent/scanner/scan-repository.js';
import { stateDirOf } from '../../agent/state/state-dir.js';
import { CHANGED_MODULE_INDEX, moduleSource, modulePath } from './generated-modules.js';

const [root, mode, runsText, connection] = process.argv.slice(2);
if (root === undefined || !['cold', 'warm', 'one-changed'].includes(mode ?? '') || !Number.isInteger(Number(runsText)) || !['shared', 'new'].includes(connection ?? '')) {
  throw new Error('usage: scan-runs.ts <repository root> <cold|warm|one-changed> <runs> <shared|new>');
}
const config = configSchema.parse({});
const firstRevision = Date.now();
let cache: CountedCache | undefined;
for (let run = 1; run <= Number(runsText); run++) {
  if (mode === 'cold' || connection === 'new') {
    await cache?.disconnect();
    cache = undefined;
  }
  if (mode === 'cold') await rm(stateDirOf(root), { recursive: true, force: true });
  if (mode === 'one-changed') await writeFile(path.join(root, modulePath(CHANGED_MODULE_INDEX)), moduleSource(CHANGED_MODULE_INDEX, firstRevision + run));
  const start = performance.now();
  cache ??= await openCache(stateDirOf(root), 'scan');
  const result = await scanRepository(root, { config, cache });
  const ms = performance.now() - start;
  process.stdout.write(`${JSON.stringify({ ms, stats: result.stats })}\n`);
}
await cache?.disconnect();
