// `hephaestus cache stats|clear` as a real child process on a real cache.sqlite: both
// namespaces, persistent hit/miss counters, JSON and table output, clearing one or all.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openCache } from '../../agent/cache/open-cache.js';
import { stateDirOf } from '../../agent/state/state-dir.js';
import { runCli } from '../support/run-cli.js';
import { makeTempDir, makeTempRepo, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
beforeEach(async () => {
  repo = await makeTempRepo({ 'README.md': '# demo\n' });
});
afterEach(() => repo.remove());

/** Two llm entries (one hit, one miss) and three scan entries (two misses). */
async function fillCaches(): Promise<void> {
  const stateDir = stateDirOf(repo.root);
  const llm = await openCache(stateDir, 'llm');
  await llm.set('a', { text: 'x'.repeat(100) });
  await llm.set('b', { text: 'y' });
  await llm.get('a');
  await llm.get('missing');
  await llm.disconnect();
  const scan = await openCache(stateDir, 'scan');
  await scan.set('src/a.ts', { exports: [] });
  await scan.set('src/b.ts', { exports: [] });
  await scan.set('src/c.ts', { exports: [] });
  await scan.getMany(['src/x.ts', 'src/y.ts']);
  await scan.disconnect();
}

interface StatsJson {
  fileBytes: number;
  namespaces: Record<'llm' | 'scan', { entries: number; hits: number; misses: number; bytes: number }>;
}

describe('cache stats', () => {
  test('reports zeros without creating the cache file when nothing was cached yet', async () => {
    const result = await runCli(['cache', 'stats', '--json', '--repo', repo.root]);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      fileBytes: 0,
      namespaces: { llm: { entries: 0, hits: 0, misses: 0, bytes: 0 }, scan: { entries: 0, hits: 0, misses: 0, bytes: 0 } },
    });
  });

  test('counts entries, bytes, and the hits and misses of earlier processes per namespace', async () => {
    await fillCaches();

    const json = await runCli(['cache', 'stats', '--json', '--repo', repo.root]);
    const table = await runCli(['cache', 'stats'], { cwd: repo.root });

    const stats = JSON.parse(json.stdout) as StatsJson;
    expect({ llm: { ...stats.namespaces.llm, bytes: 0 }, scan: { ...stats.namespaces.scan, bytes: 0 } }).toEqual({
      llm: { entries: 2, hits: 1, misses: 1, bytes: 0 },
      scan: { entries: 3, hits: 0, misses: 2, bytes: 0 },
    });
    expect(stats.namespaces.llm.bytes).toBeGreaterThan(100);
    expect(stats.fileBytes).toBeGreaterThan(0);
    expect(table.exitCode).toBe(0);
    expect(table.stdout.replace(/\(.* on disk\)/, '(SIZE on disk)').replace(/ +\d+(\.\d)? (B|KB)$/gm, '  BYTES').replace(/ +size$/m, '  size')).toMatchInlineSnapshot(`
      "Cache .hephaestus/cache.sqlite (SIZE on disk)
      namespace  entries  hits  misses  hit rate  size
      llm              2     1       1       50%  BYTES
      scan             3     0       2        0%  BYTES"
    `);
  });
});

describe('cache clear', () => {
  test('clears one namespace, then all, resetting their counters', async () => {
    await fillCaches();

    const llmOnly = await runCli(['cache', 'clear', '--namespace', 'llm', '--json', '--repo', repo.root]);
    const afterLlm = JSON.parse((await runCli(['cache', 'stats', '--json', '--repo', repo.root])).stdout) as StatsJson;
    const all = await runCli(['cache', 'clear', '--repo', repo.root]);
    const afterAll = JSON.parse((await runCli(['cache', 'stats', '--json', '--repo', repo.root])).stdout) as StatsJson;

    expect(JSON.parse(llmOnly.stdout)).toEqual({ cleared: { llm: 2 } });
    expect([afterLlm.namespaces.llm, afterLlm.namespaces.scan.entries]).toEqual([{ entries: 0, hits: 0, misses: 0, bytes: 0 }, 3]);
    expect(all.stdout).toBe('Cleared 0 llm entries and 3 scan entries; hit and miss counters reset.');
    expect(afterAll.namespaces).toEqual({ llm: { entries: 0, hits: 0, misses: 0, bytes: 0 }, scan: { entries: 0, hits: 0, misses: 0, bytes: 0 } });
  });

  test('an unknown namespace is a usage error (exit 2); a directory outside git is exit 3', async () => {
    const badNamespace = await runCli(['cache', 'clear', '--namespace', 'memory', '--repo', repo.root]);
    const outside = await runCli(['cache', 'stats', '--repo', await makeTempDir()]);
    expect([badNamespace.exitCode, outside.exitCode]).toEqual([2, 3]);
    expect(badNamespace.stderr).toContain("error: option '--namespace <name>' argument 'memory' is invalid. Allowed choices are llm, scan.");
    expect(outside.stderr).toMatch(/^hephaestus: /);
  });
});
