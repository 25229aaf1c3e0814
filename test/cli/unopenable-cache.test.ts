// `hephaestus status` and `hephaestus cache stats` when the SQLite cache cannot open (here a
// directory stands where the database file should be): one warning naming the fix on stderr,
// then the rest of the output, exit 0.
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queueObjectives, useTestScope } from '../cycle/cycle-kit.js';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo } from '../support/temp-repo.js';

const scope = useTestScope();

/** A repository with one queued objective whose cache file is a directory. */
async function repositoryWithUnopenableCache() {
  const repo = scope.use(await makeTempRepo({ 'README.md': '# Notes\n' }));
  await queueObjectives(repo.root, 'Describe the project in README.md');
  const stateDir = path.join(await realpath(repo.root), '.hephaestus');
  await mkdir(path.join(stateDir, 'cache.sqlite'));
  const warning =
    `warning: cache statistics unavailable: the SQLite cache ${stateDir}/cache.sqlite does not open (SQLITE_CANTOPEN: unable to open database file); ` +
    `make ${stateDir} writable, or remove the file if it is not a SQLite database.`;
  return { repo, stateDir, warning };
}

const UNAVAILABLE_LINE = 'Cache .hephaestus/cache.sqlite: unavailable (SQLITE_CANTOPEN: unable to open database file); runs go on without it.';

describe('a cache that cannot open', () => {
  it('status warns once, then prints everything else', async () => {
    const { repo, warning } = await repositoryWithUnopenableCache();
    const text = await runCli(['status'], { cwd: repo.root });
    expect([text.exitCode, text.stderr]).toEqual([0, warning]);
    expect(text.stdout.split('\n')).toEqual([
      'Branch hephaestus/evolve does not exist yet (the first committed cycle creates it from HEAD)',
      '',
      'No cycles yet.',
      '',
      'Strategies: no attempts recorded.',
      '',
      'Queue (1, next first):',
      '  1. [user] Describe the project in README.md',
      '',
      UNAVAILABLE_LINE,
      '',
      'Budget: no run recorded yet.',
    ]);

    const json = await runCli(['status', '--json'], { cwd: repo.root });
    expect([json.exitCode, json.stderr]).toEqual([0, warning]);
    const status = JSON.parse(json.stdout);
    expect([status.queue.user.map((entry: { text: string }) => entry.text), status.cache.unavailable.reason]).toEqual([['Describe the project in README.md'], 'SQLITE_CANTOPEN: unable to open database file']);
  });

  it('cache stats says the cache is unavailable and why, with the fix in the one warning (exit 0)', async () => {
    const { repo, stateDir, warning } = await repositoryWithUnopenableCache();
    const text = await runCli(['cache', 'stats'], { cwd: repo.root });
    expect(text).toEqual({ exitCode: 0, stdout: UNAVAILABLE_LINE, stderr: warning });

    const json = await runCli(['cache', 'stats', '--json'], { cwd: repo.root });
    expect([json.exitCode, json.stderr]).toEqual([0, warning]);
    const empty = { entries: 0, hits: 0, misses: 0, bytes: 0 };
    expect(JSON.parse(json.stdout)).toEqual({
      file: `${stateDir}/cache.sqlite`,
      fileBytes: expect.any(Number),
      namespaces: { llm: empty, scan: empty },
      unavailable: { reason: 'SQLITE_CANTOPEN: unable to open database file', message: warning.replace('warning: cache statistics unavailable: ', '') },
    });
  });
});
