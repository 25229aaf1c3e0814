// Scans through one long-lived cache connection, as the cycle runner makes them: the connection
// holds the last snapshot it read or wrote, and must still see whatever the SQLite file says now.
import { utimes } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_TABLE, openCache, openCacheStore, type CountedCache } from '../../agent/cache/open-cache.js';
import { configSchema } from '../../agent/config/schema.js';
import { scanRepository } from '../../agent/scanner/scan-repository.js';
import { stateDirOf } from '../../agent/state/state-dir.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const config = configSchema.parse({});

const FILES = {
  'src/a.ts': "import { b } from './b.js';\nexport const a = () => b + 1;\n",
  'src/b.ts': 'export const b = 1;\n',
  'src/c.ts': 'export function c(flag: boolean) {\n  return flag ? 1 : 2;\n}\n',
};

describe('scans through one connection', () => {
  let repo: TempRepo;
  let cache: CountedCache | undefined;
  afterEach(async () => {
    await cache?.disconnect();
    cache = undefined;
    await repo?.remove();
  });

  /** Files written within 2 s of a scan are racy and always re-read; these are made older. */
  async function ageFiles(files: readonly string[]): Promise<void> {
    const old = new Date(Date.now() - 60_000);
    for (const file of files) await utimes(`${repo.root}/${file}`, old, old);
  }

  async function scanElsewhere() {
    // Another process: a connection of its own to the same SQLite file.
    const other = await openCache(stateDirOf(repo.root), 'scan');
    try {
      return await scanRepository(repo.root, { config, cache: other });
    } finally {
      await other.disconnect();
    }
  }

  it('takes what another connection saved in between, not what it held', async () => {
    repo = await makeTempRepo(FILES);
    await ageFiles(Object.keys(FILES));
    cache = await openCache(stateDirOf(repo.root), 'scan');
    expect((await scanRepository(repo.root, { config, cache })).stats).toMatchObject({ parsed: 3, snapshot: false });
    expect((await scanRepository(repo.root, { config, cache })).stats).toMatchObject({ parsed: 0, snapshot: true });

    await repo.write('src/c.ts', 'export function c(flag: boolean, other: boolean) {\n  return flag && other ? 1 : 2;\n}\n');
    await ageFiles(['src/c.ts']);
    expect((await scanElsewhere()).stats).toMatchObject({ parsed: 1, snapshot: false });

    // The other connection's snapshot is current: this one's is whole, with the new c.ts.
    const rescan = await scanRepository(repo.root, { config, cache });
    expect(rescan.stats).toMatchObject({ parsed: 0, snapshot: true });
    expect(rescan.files.find((file) => file.path === 'src/c.ts')!.functions).toEqual([{ name: 'c', kind: 'function', line: 1, length: 3, complexity: 3 }]);
    expect(rescan.files).toEqual((await scanElsewhere()).files);
  });

  it('reads every file again when the cache was cleared behind its back', async () => {
    repo = await makeTempRepo(FILES);
    await ageFiles(Object.keys(FILES));
    cache = await openCache(stateDirOf(repo.root), 'scan');
    const first = await scanRepository(repo.root, { config, cache });

    const store = await openCacheStore(stateDirOf(repo.root));
    await store.query(`DELETE FROM ${CACHE_TABLE}`);
    await store.disconnect();

    const rescan = await scanRepository(repo.root, { config, cache });
    expect(rescan.stats).toMatchObject({ files: 3, parsed: 3, cacheHits: 0, snapshot: false });
    expect(rescan.files).toEqual(first.files);
    expect((await scanElsewhere()).stats).toMatchObject({ parsed: 0, snapshot: true });
  });

  it('keeps the snapshots of the 4 roots it scanned last, and reads an older one back from SQLite', async () => {
    repo = await makeTempRepo(FILES);
    const others = await Promise.all([1, 2, 3, 4].map(() => makeTempRepo({ 'src/x.ts': 'export const x = 1;\n' })));
    try {
      await ageFiles(Object.keys(FILES));
      cache = await openCache(stateDirOf(repo.root), 'scan');
      const dropBuckets = async () => {
        // Keeps the head row: only a connection holding the snapshot can still take it whole.
        const store = await openCacheStore(stateDirOf(repo.root));
        await store.query(`DELETE FROM ${CACHE_TABLE} WHERE key LIKE 'scan:%:snapshot:%:%'`);
        await store.disconnect();
      };
      await scanRepository(repo.root, { config, cache });
      await dropBuckets();
      expect((await scanRepository(repo.root, { config, cache })).stats).toMatchObject({ parsed: 0, snapshot: true });

      for (const other of others) await scanRepository(other.root, { config, cache });
      const afterOthers = await scanRepository(repo.root, { config, cache });
      expect(afterOthers.stats).toMatchObject({ files: 3, parsed: 0, cacheHits: 3, snapshot: false });
      expect(afterOthers.files.map((file) => file.path)).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
    } finally {
      await Promise.all(others.map((other) => other.remove()));
    }
  });

  it('hands out frozen results, so no caller can change what the next scan returns', async () => {
    repo = await makeTempRepo(FILES);
    await ageFiles(Object.keys(FILES));
    cache = await openCache(stateDirOf(repo.root), 'scan');
    const first = await scanRepository(repo.root, { config, cache });
    const [a] = first.files;
    expect(a!.path).toBe('src/a.ts');
    expect(() => first.files[0]!.symbols.push({ name: 'x', kind: 'variable', signature: 'const x', line: 9 })).toThrow(TypeError);
    expect(() => ((first.files as typeof first.files & unknown[]).length = 0)).toThrow(TypeError);
    expect(() => Object.assign(a!, { lines: 0 })).toThrow(TypeError);
    expect(() => first.graph.imports['src/a.ts']!.pop()).toThrow(TypeError);

    const fromSnapshot = await scanRepository(repo.root, { config, cache });
    expect(fromSnapshot.stats.snapshot).toBe(true);
    expect(fromSnapshot.files.find((file) => file.path === 'src/a.ts')).toMatchObject({ lines: 2, symbols: [{ name: 'a', kind: 'variable' }] });
    expect(fromSnapshot.graph.imports['src/a.ts']).toEqual(['src/b.ts']);
    // Read back from the SQLite file by a new connection, the result is frozen all the same.
    const elsewhere = await scanElsewhere();
    expect(elsewhere.stats.snapshot).toBe(true);
    expect(Object.isFrozen(elsewhere.files[0]!.symbols[0])).toBe(true);
    expect(Object.isFrozen(elsewhere.graph.importedBy['src/b.ts'])).toBe(true);
    // And so is a scan's without any cache.
    const uncached = await scanRepository(repo.root, { config });
    expect(Object.isFrozen(uncached.files)).toBe(true);
    expect(Object.isFrozen(uncached.files[2]!.functions[0])).toBe(true);
    expect(Object.isFrozen(uncached.graph.imports)).toBe(true);
  });
});
