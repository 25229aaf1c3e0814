// The persistent cache is optional: when its SQLite file does not open, or the SQLite module
// does not load, a command runs without it after one warning that names the fix.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { cacheProblem } from '../../agent/cache/open-cache.js';
import { stateDirOf } from '../../agent/state/state-dir.js';
import { CLI_PATH, cliEnvironment } from '../support/run-cli.js';
import { makeTempDir } from '../support/temp-repo.js';
import { planReply, plans, runAgent, scriptRoles, useCycleBench, makeNodeProject } from '../cycle/cycle-kit.js';

const bench = useCycleBench();

/** A logger that keeps every line it writes. */
function recordingLogger() {
  const lines: Array<{ level: number; event?: string; msg: string }> = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('without the SQLite cache', () => {
  it('a run whose cache file does not open warns once and commits all the same', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    // A directory where the database file should be: SQLite cannot open it.
    await mkdir(path.join(stateDirOf(repo.root), 'cache.sqlite'), { recursive: true });
    scriptRoles(bench.server, () => planReply(plans.readme));
    const { logger, lines } = recordingLogger();

    const summary = await runAgent(repo.root, { cycles: 1, objective: 'Describe the project in README.md', logger });

    expect(summary.cycles.map((cycle) => [cycle.outcome, cycle.reason])).toEqual([['committed', null]]);
    const warnings = lines.filter((line) => line.event === 'cache-unavailable').map((line) => line.msg);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Running without the persistent cache: the SQLite cache \S+cache\.sqlite does not open \(.+\); make \S+ writable, or remove the file if it is not a SQLite database\. Replies and scans are not kept between runs\.$/);
  });

  it('says nothing is wrong when the cache opens', async () => {
    const stateDir = path.join(await makeTempDir(), '.hephaestus');
    expect(await cacheProblem(stateDir)).toBeNull();
  });

  it('manifest --check works when the SQLite module does not load, with one warning naming the fix', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    // A module hook that makes `sqlite3` fail to load, as when its native binding was never built.
    const hooks = path.join(await makeTempDir(), 'no-sqlite.mjs');
    await writeFile(
      hooks,
      [
        "import { register } from 'node:module';",
        `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify("export async function resolve(specifier, context, next) { if (specifier === 'sqlite3') throw new Error('Could not locate the bindings file (test)'); return next(specifier, context); }")}));`,
      ].join('\n'),
    );
    const node = (...args: string[]) => execa(process.execPath, ['--import', hooks, CLI_PATH, ...args], { cwd: repo.root, env: cliEnvironment(), extendEnv: false, reject: false });

    expect((await node('manifest', '--repo', repo.root)).exitCode).toBe(0);
    await repo.commitAll('manifest');
    const check = await node('manifest', '--repo', repo.root, '--check');

    expect(check.exitCode).toBe(0);
    const warnings = String(check.stderr).split('\n').filter((line) => line.includes('Running without the persistent cache'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('the SQLite module does not load (Could not locate the bindings file (test)); reinstall with `npm rebuild sqlite3`');
  });
});
