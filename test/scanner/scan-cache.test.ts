import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_TABLE, openCache, openCacheStore } from '../../agent/cache/open-cache.js';
import { configSchema } from '../../agent/config/schema.js';
import { SCANNER_VERSION, scanCacheKey } from '../../agent/scanner/scan-cache.js';
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
    const cache = await openCache(stateDirOf(repo.root), 'scan');
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
    const cache = await openCache(stateDirOf(repo.root), 'scan');
    await cache.set(key, JSON.stringify({ lines: 'many' }));
    await cache.disconnect();

    expect((await scanWithFreshCache()).stats).toMatchObject({ parsed: 1, cacheHits: 0 });
    expect((await scanWithFreshCache()).stats).toMatchObject({ parsed: 0, cacheHits: 1 });
  });

  async function ageFiles(files: readonly string[]): Promise<void> {
    // Files written within 2 s of a scan are re-read (racy); age them so the stat index holds.
    const { utimes } = await import('node:fs/promises');
    const old = new Date(Date.now() - 60_000);
    for (const file of files) await utimes(`${repo.root}/${file}`, old, old);
  }

  it('reads an unchanged repository back from one snapshot, and any change in files or settings invalidates it', async () => {
    repo = await makeTempRepo(FILES);
    await ageFiles(Object.keys(FILES));
    const cold = await scanWithFreshCache();
    expect([cold.stats.parsed, cold.stats.snapshot]).toEqual([4, false]);
    const fromSnapshot = await scanWithFreshCache();
    expect(fromSnapshot.stats).toMatchObject({ files: 4, parsed: 0, cacheHits: 4, skipped: 0, snapshot: true });
    expect(fromSnapshot.files).toEqual(cold.files);
    expect(fromSnapshot.graph).toEqual(cold.graph);

    await repo.write('src/b.ts', 'export const b = 2;\n');
    const changed = await scanWithFreshCache();
    expect([changed.stats.parsed, changed.stats.snapshot]).toEqual([1, false]);
    expect(changed.files.find((file) => file.path === 'src/b.ts')!.symbols).toEqual([{ name: 'b', kind: 'variable', signature: 'const b = 2', line: 1 }]);

    // A new untracked file changes the listing.
    await ageFiles(['src/b.ts']);
    await scanWithFreshCache();
    await repo.write('src/d.ts', 'export const d = 4;\n');
    const added = await scanWithFreshCache();
    expect([added.stats.files, added.stats.parsed, added.stats.snapshot]).toEqual([5, 1, false]);

    // Different test globs change which files are tests: the snapshot does not apply.
    await ageFiles(['src/d.ts']);
    await scanWithFreshCache();
    const otherConfig = configSchema.parse({ validation: { tests: { files: ['src/c.ts'] } } });
    const cache = await openCache(stateDirOf(repo.root), 'scan');
    const withOtherGlobs = await scanRepository(repo.root, { config: otherConfig, cache });
    await cache.disconnect();
    expect(withOtherGlobs.stats).toMatchObject({ parsed: 0, snapshot: false });
    expect(withOtherGlobs.files.find((file) => file.path === 'src/c.ts')?.isTest).toBe(true);
  });

  it('takes git\'s word only for tracked files it finds unchanged: staged edits, checkouts and assume-unchanged files are noticed', async () => {
    repo = await makeTempRepo(FILES);
    await ageFiles(Object.keys(FILES));
    await scanWithFreshCache();
    const constantOf = async (file: string) => (await scanWithFreshCache()).files.find((scanned) => scanned.path === file)!.symbols[0]!.signature;

    // An edit that is staged: git's index has the new blob, and the file matches it.
    await repo.write('src/b.ts', 'export const b = 7;\n');
    await repo.git('add', 'src/b.ts');
    await ageFiles(['src/b.ts']);
    expect(await constantOf('src/b.ts')).toBe('const b = 7');
    expect((await scanWithFreshCache()).stats.snapshot).toBe(true);

    // Another branch: every file it changes matches the index again after the checkout.
    await repo.commitAll('b is 7');
    await repo.git('checkout', '-q', '-b', 'other');
    await repo.write('src/b.ts', 'export const b = 8;\n');
    await repo.commitAll('b is 8');
    await repo.git('checkout', '-q', 'main');
    await ageFiles(['src/b.ts']);
    expect(await constantOf('src/b.ts')).toBe('const b = 7');
    await repo.git('checkout', '-q', 'other');
    await ageFiles(['src/b.ts']);
    expect(await constantOf('src/b.ts')).toBe('const b = 8');

    // Git does not look at an assume-unchanged file: its stats are checked here.
    await repo.git('update-index', '--assume-unchanged', 'src/b.ts');
    await scanWithFreshCache();
    await repo.write('src/b.ts', 'export const b = 9;\n');
    await ageFiles(['src/b.ts']);
    expect(await constantOf('src/b.ts')).toBe('const b = 9');
  });

  it('does not take git\'s word when attributes convert files: a re-checkout with CRLF line endings is noticed', async () => {
    repo = await makeTempRepo({ ...FILES, '.gitattributes': '*.ts text eol=crlf\n' });
    await ageFiles(Object.keys(FILES));
    const before = await scanWithFreshCache();
    expect(before.files.find((file) => file.path === 'src/b.ts')!.bytes).toBe(20);

    // Git sees the same blob and a clean file; the bytes in the working tree changed.
    await rm(`${repo.root}/src/b.ts`);
    await repo.git('checkout', '--', 'src/b.ts');
    expect((await repo.git('ls-files', '-v', '-m', 'src/b.ts')).trim()).toBe('');
    await ageFiles(['src/b.ts']);
    expect((await scanWithFreshCache()).files.find((file) => file.path === 'src/b.ts')!.bytes).toBe(21);
  });

  it('keeps unchanged files\' analyses from the snapshot when the per-file entries are gone', async () => {
    repo = await makeTempRepo(FILES);
    await ageFiles(Object.keys(FILES));
    await scanWithFreshCache();
    const store = await openCacheStore(stateDirOf(repo.root));
    await store.query(`DELETE FROM ${CACHE_TABLE} WHERE key LIKE 'scan:${SCANNER_VERSION}:%' AND key NOT LIKE 'scan:${SCANNER_VERSION}:snapshot:%'`);
    await store.disconnect();

    await repo.write('src/c.ts', 'export const c = 3;\n');
    const changed = await scanWithFreshCache();
    expect(changed.stats).toMatchObject({ files: 4, parsed: 1, cacheHits: 3, snapshot: false });
    expect(changed.graph.imports['src/a.ts']).toEqual(['src/b.ts']);
  });

  it('scans file by file when the snapshot is unreadable, and records a good one again', async () => {
    repo = await makeTempRepo(FILES);
    await ageFiles(Object.keys(FILES));
    const cold = await scanWithFreshCache();
    const store = await openCacheStore(stateDirOf(repo.root));
    await store.query(`UPDATE ${CACHE_TABLE} SET value = '{"value":{"files":"truncated' WHERE key LIKE 'scan:${SCANNER_VERSION}:snapshot:%'`);
    // The head row, the graph row, and a files row and an index row for each of the 16 buckets.
    expect(await store.query(`SELECT COUNT(*) AS rows FROM ${CACHE_TABLE} WHERE value LIKE '%truncated'`)).toEqual([{ rows: 34 }]);
    await store.disconnect();

    const afterCorruption = await scanWithFreshCache();
    expect(afterCorruption.stats).toMatchObject({ files: 4, parsed: 0, cacheHits: 4, snapshot: false });
    expect(afterCorruption.files).toEqual(cold.files);
    expect((await scanWithFreshCache()).stats.snapshot).toBe(true);
  });
});
