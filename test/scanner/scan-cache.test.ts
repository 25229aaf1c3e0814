import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../agent/cache/open-cache.js';
import { configSchema } from '../../agent/config/schema.js';
import { scanCacheKey } from '../../agent/scanner/scan-cache.js';
import { scanRepository } from '../../agent/scanner/scan-repository.js';
import { stateDirOf } from '../../agent/state/state-dir.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const config = configSchema.parse({});

const FILES = {
  'src/a.ts': "import { b } from './b.js';\nexport const a = () => b + 1;\n",
  'src/b.ts': 'export const b = 1;\n',
  'src/c.ts': 'export function c(flag: boolean) {\n  return flag ? 1 : 2;\n}\n',
  'README.md': '# Fixture\n',
};

describe('scan cache', () => {
  let repo: TempRepo;
  afterEach(async () => repo?.remove());

  async function scanWithFreshCache() {
    // A new cache connection per scan, as in a new process: only the SQLite file carries over.
    const cache = openCache(stateDirOf(repo.root), 'scan');
    try {
      return await scanRepository(repo.root, { config, cache });
    } finally {
      await cache.disconnect();
    }
  }

  it('serves unchanged files from the SQLite cache after a restart and re-parses only the changed one', async () => {
    repo = await makeTempRepo(FILES);
    const cold = await scanWithFreshCache();
    expect(cold.stats).toMatchObject({ files: 4, parsed: 4, cacheHits: 0 });

    const warm = await scanWithFreshCache();
    expect(warm.stats).toMatchObject({ files: 4, parsed: 0, cacheHits: 4 });
    expect(warm.files).toEqual(cold.files);
    expect(warm.graph).toEqual(cold.graph);

    await repo.write('src/c.ts', 'export function c(flag: boolean, other: boolean) {\n  return flag && other ? 1 : 2;\n}\n');
    const changed = await scanWithFreshCache();
    expect(changed.stats).toMatchObject({ files: 4, parsed: 1, cacheHits: 3 });
    expect(changed.files.find((file) => file.path === 'src/c.ts')!.functions).toEqual([{ name: 'c', kind: 'function', line: 1, length: 3, complexity: 3 }]);
  });

  it('notices a same-size edit made right after a scan (the stat index never vouches for racy files)', async () => {
    repo = await makeTempRepo(FILES);
    await scanWithFreshCache();
    await repo.write('src/b.ts', 'export const b = 2;\n');
    const rescan = await scanWithFreshCache();
    expect(rescan.stats).toMatchObject({ parsed: 1, cacheHits: 3 });
    expect(rescan.files.find((file) => file.path === 'src/b.ts')!.symbols).toEqual([{ name: 'b', kind: 'variable', signature: 'const b = 2', line: 1 }]);
  });

  it('treats an entry of the wrong shape as a miss and replaces it', async () => {
    repo = await makeTempRepo({ 'src/b.ts': FILES['src/b.ts'] });
    const { createHash } = await import('node:crypto');
    const key = scanCacheKey('src/b.ts', createHash('sha256').update(FILES['src/b.ts']).digest('hex'));
    const cache = openCache(stateDirOf(repo.root), 'scan');
    await cache.set(key, JSON.stringify({ lines: 'many' }));
    await cache.disconnect();

    expect((await scanWithFreshCache()).stats).toMatchObject({ parsed: 1, cacheHits: 0 });
    expect((await scanWithFreshCache()).stats).toMatchObject({ parsed: 0, cacheHits: 1 });
  });

  it('reads an unchanged repository back from one snapshot, and any change in files or settings invalidates it', async () => {
    repo = await makeTempRepo(FILES);
    // Files written within 2 s of a scan are re-read (racy); age them so the stat index holds.
    const { utimes } = await import('node:fs/promises');
    const old = new Date(Date.now() - 60_000);
    for (const file of Object.keys(FILES)) await utimes(`${repo.root}/${file}`, old, old);
    const cold = await scanWithFreshCache();
    const recording = await scanWithFreshCache();
    expect([recording.stats.parsed, recording.stats.snapshot]).toEqual([0, false]);
    const fromSnapshot = await scanWithFreshCache();
    expect(fromSnapshot.stats).toMatchObject({ files: 4, parsed: 0, cacheHits: 4, snapshot: true });
    expect(fromSnapshot.files).toEqual(cold.files);
    expect(fromSnapshot.graph).toEqual(cold.graph);

    await repo.write('src/b.ts', 'export const b = 2;\n');
    const changed = await scanWithFreshCache();
    expect([changed.stats.parsed, changed.stats.snapshot]).toEqual([1, false]);

    // Different test globs change which files are tests: the snapshot does not apply.
    const otherConfig = configSchema.parse({ validation: { tests: { files: ['src/c.ts'] } } });
    const cache = openCache(stateDirOf(repo.root), 'scan');
    const withOtherGlobs = await scanRepository(repo.root, { config: otherConfig, cache });
    await cache.disconnect();
    expect(withOtherGlobs.stats.snapshot).toBe(false);
    expect(withOtherGlobs.files.find((file) => file.path === 'src/c.ts')?.isTest).toBe(true);
  });
});
