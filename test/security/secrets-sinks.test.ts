// Secrets at every sink: a key planted in the environment (and handed to the tests through
// sandbox.env, from a --config file outside the repository), a password in a tracked .env, a
// key in an untracked .env.local, and a GitHub token and the .env password (no known secret
// format) written literally in an ordinary source file, all printed by
// a failing test (the env key also in base64 and URL-encoded). Two cycles run through the CLI
// (the failure feeds a correction objective into the second, which commits and regenerates
// the tracked AGENTS.md); none of the values is found in the state directory (the LLM and scan
// caches included), the sandboxes beyond the repository's own checkout, AGENTS.md as written
// and as committed, stdout, stderr or any request the fake model server received.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import sqlite3 from 'sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretRedactor, encodedForms } from '../../agent/logging/secret-redactor.js';
import { findSecretPatterns } from '../../agent/logging/find-secret-patterns.js';
import { parseEnvLines } from '../../agent/logging/env-file-secrets.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import type { TempRepo } from '../support/temp-repo.js';
import { MATH_TEST, TEST_API_KEY, makeNodeProject, planReply, plans, projectConfig, scriptRoles } from '../cycle/cycle-kit.js';

const SERVICE_TOKEN = 'svc-9f8e7d6c5b4a3f2e1d0c';
const DATABASE_PASSWORD = 'db-pass-Qx7!Lm2#Rt9';
const GITHUB_TOKEN = `ghp_${'Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'.slice(0, 36)}`;
/** Only in an untracked file: no copy of it belongs anywhere, the sandboxes included. */
const LOCAL_SECRET = 'local-secret-Zy8Wx7Vu6Ts5';

const LEAKY_TEST = `${MATH_TEST}
import { readFileSync } from 'node:fs';
import { token } from '../src/settings.js';

test('prints what it should not', () => {
  const key = process.env.SERVICE_TOKEN ?? '';
  console.log('env', key, Buffer.from(key).toString('base64'), encodeURIComponent(key + '&'));
  console.log('dotenv', readFileSync('.env', 'utf8'));
  console.log('source', token);
  console.log('local', ${JSON.stringify(Buffer.from(LOCAL_SECRET).toString('hex'))}, Buffer.from(${JSON.stringify(Buffer.from(LOCAL_SECRET).toString('hex'))}, 'hex').toString());
});
`;

/** Every value that must not leave: the raw ones, the encodings a test printed, the password as TAP escapes it. */
const PLANTED = [SERVICE_TOKEN, Buffer.from(SERVICE_TOKEN).toString('base64'), DATABASE_PASSWORD, DATABASE_PASSWORD.replaceAll('#', '\\#'), GITHUB_TOKEN, TEST_API_KEY, LOCAL_SECRET];
/** Values no file of the repository holds, so no sandbox may hold them either. */
const NEVER_TRACKED = [SERVICE_TOKEN, Buffer.from(SERVICE_TOKEN).toString('base64'), TEST_API_KEY, LOCAL_SECRET];

let server: FakeLlmServer;
let repo: TempRepo;
let outside: string;
let manifest: CliResult;
let first: CliResult;
let second: CliResult;

beforeAll(async () => {
  server = await startFakeLlmServer();
  repo = await makeNodeProject(server);
  await repo.write('.env', `DATABASE_PASSWORD="${DATABASE_PASSWORD}"\nPORT=3000\n`);
  await repo.write('.env.local', `API_SECRET=${LOCAL_SECRET}\n`);
  await repo.write('.gitignore', '.env.local\n');
  await repo.write('src/settings.js', `// Deployment settings.\nexport const token = '${GITHUB_TOKEN}';\n\n/** Signs requests with ${GITHUB_TOKEN}. */\nexport function sign(request, key = '${GITHUB_TOKEN}') {\n  return { ...request, key };\n}\n\n/** Connects with ${DATABASE_PASSWORD}. */\nexport const databasePassword = '${DATABASE_PASSWORD}';\n`);
  await repo.write('test/math.test.js', LEAKY_TEST);
  await repo.commitAll('leaky fixture');
  const env = { OPENAI_API_KEY: TEST_API_KEY, SERVICE_TOKEN };
  // The user's AGENTS.md, tracked: every commit regenerates it.
  manifest = await runCli(['manifest', '--repo', repo.root], { env });
  await repo.commitAll('manifest');
  // The tests get the key the way a user hands one to them: sandbox.env in a config kept out of the repository.
  outside = await mkdtemp(path.join(os.tmpdir(), 'hephaestus-secrets-'));
  const configFile = path.join(outside, 'hephaestus.config.json');
  await writeFile(configFile, projectConfig(server, { sandbox: { linkPaths: [], pool: 2, env: { SERVICE_TOKEN } } }));
  // Cycle 1 breaks add (the test fails and prints everything); cycle 2 gets the correction
  // objective and adds subtract instead, which passes.
  scriptRoles(server, (objective) => (objective.startsWith('Correct the previous attempt') ? planReply(plans.addSubtract) : planReply(plans.breakAdd)));
  expect((await runCli(['objective', 'add', 'Make add faster in src/math.js and read src/settings.js', '--repo', repo.root], { env })).exitCode).toBe(0);
  const run = ['run', '--repo', repo.root, '--config', configFile, '--json', '--cycles', '1', '--log-level', 'debug'];
  first = await runCli(run, { env, timeoutMs: 180_000 });
  second = await runCli(run, { env, timeoutMs: 180_000 });
}, 400_000);
afterAll(async () => {
  await server.close();
  await repo.remove();
  await rm(outside, { recursive: true, force: true });
});

/** Files of the state directory, except the sandbox worktrees (checkouts of the repository itself). */
async function stateFiles(directory: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'worktrees') files.push(...(await stateFiles(full)));
    } else {
      files.push(full);
    }
  }
  return files;
}

/** Files of a sandbox that are not the repository's own checkout (reports, outputs, leftovers), and the checkout's. */
async function sandboxFiles(worktree: string): Promise<{ untracked: string[]; tracked: string[] }> {
  const { execa } = await import('execa');
  const list = async (...options: string[]) => (await execa('git', ['-C', worktree, 'ls-files', '-z', ...options])).stdout.split('\0').filter(Boolean).map((file) => path.join(worktree, file));
  return { untracked: await list('--others'), tracked: await list() };
}

/** Every row of the cache, by key: the `llm` namespace and the `scan` namespace's analyses and snapshot. */
async function cacheRows(file: string): Promise<Array<[string, string]>> {
  const database = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  try {
    const rows = await new Promise<Array<{ key: string; value: string }>>((resolve, reject) =>
      database.all('SELECT key, value FROM keyv', (error, result: Array<{ key: string; value: string }>) => (error ? reject(error) : resolve(result))),
    );
    expect(rows.filter((row) => row.key.startsWith('llm:')).length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.key.startsWith('scan:')).length).toBeGreaterThan(0);
    return rows.map((row): [string, string] => [`cache ${row.key}`, `${row.key}\n${row.value}`]);
  } finally {
    await new Promise((resolve) => database.close(resolve));
  }
}

describe('secrets at every sink', () => {
  it('ran the two cycles: the leaky failure, then the correction', () => {
    const outcomes = [first, second].map((result) => (JSON.parse(result.stdout) as { cycles: Array<{ outcome: string; reason: string | null }> }).cycles.map((cycle) => [cycle.outcome, cycle.reason]));
    expect(outcomes).toEqual([[['rejected', 'TESTS_FAILED']], [['committed', null]]]);
    // Each value reached the failing test's output, and left it redacted.
    const detail = (JSON.parse(first.stdout) as { cycles: Array<{ detail: string }> }).cycles[0]!.detail;
    expect(detail).toContain('env [REDACTED] [REDACTED] [REDACTED]');
    expect(detail).toContain('DATABASE_PASSWORD="[REDACTED]"');
    expect(detail).toContain('source [REDACTED]');
    expect(detail).toMatch(/local [0-9a-f]+ \[REDACTED\]/);
  });

  it('finds no planted value in the state directory, stdout, stderr or the requests the model received', async () => {
    const sinks: Array<[string, string]> = [
      ['stdout 1', first.stdout],
      ['stderr 1', first.stderr],
      ['stdout 2', second.stdout],
      ['stderr 2', second.stderr],
      ...server.requests.map((request): [string, string] => [`request ${request.index}`, request.rawBody]),
    ];
    const files = await stateFiles(path.join(repo.root, '.hephaestus'));
    expect(files.map((file) => path.basename(file))).toEqual(expect.arrayContaining(['evolution.jsonl', 'memory.json', 'objectives.json', 'hephaestus.log', 'cache.sqlite']));
    for (const file of files) {
      if (path.basename(file) === 'cache.sqlite') sinks.push(...(await cacheRows(file)));
      else sinks.push([path.relative(repo.root, file), (await readFile(file)).toString('latin1')]);
    }
    sinks.push(['manifest stdout', manifest.stdout], ['manifest stderr', manifest.stderr]);
    sinks.push(['AGENTS.md as written', await readFile(path.join(repo.root, 'AGENTS.md'), 'utf8')]);
    sinks.push(['AGENTS.md as committed', await repo.git('show', 'hephaestus/evolve:AGENTS.md')]);
    const worktrees = path.join(repo.root, '.hephaestus', 'worktrees');
    const everywhere: Array<[string, string]> = [];
    for (const name of await readdir(worktrees)) {
      const { untracked, tracked } = await sandboxFiles(path.join(worktrees, name));
      for (const file of untracked) sinks.push([path.relative(repo.root, file), (await readFile(file)).toString('latin1')]);
      for (const file of tracked) everywhere.push([path.relative(repo.root, file), (await readFile(file)).toString('latin1')]);
    }
    expect(everywhere.length).toBeGreaterThan(0);
    const leaks = [
      ...sinks.flatMap(([sink, text]) => PLANTED.filter((value) => text.includes(value)).map((value) => `${sink}: ${value}`)),
      ...everywhere.flatMap(([sink, text]) => NEVER_TRACKED.filter((value) => text.includes(value)).map((value) => `${sink}: ${value}`)),
    ];
    expect(leaks).toEqual([]);
    // The committed manifest kept the source file's skeleton, with the token redacted.
    expect(await repo.git('show', 'hephaestus/evolve:AGENTS.md')).toContain("- `function sign(request, key = '[REDACTED]')` — Signs requests with [REDACTED].");
    expect(await repo.git('show', 'hephaestus/evolve:AGENTS.md')).toContain("- `const databasePassword = '[REDACTED]'` — Connects with [REDACTED].");
    // The correction objective carried the test output (redacted) into the second prompt.
    expect(server.requests.some((request) => request.rawBody.includes('prints what it should not') && request.rawBody.includes('[REDACTED]'))).toBe(true);
  });
});

describe('the redactor', () => {
  it('covers base64, URL-encoded and embedded base64 forms of a value', () => {
    const redactor = createSecretRedactor([SERVICE_TOKEN]);
    const basic = Buffer.from(`user:${SERVICE_TOKEN}`).toString('base64');
    expect(redactor.redact(`a ${Buffer.from(SERVICE_TOKEN).toString('base64')} b ${encodeURIComponent(`${SERVICE_TOKEN}/`)} c ${basic}`)).not.toMatch(/svc-9f8e|c3ZjLTlm|9f8e7d6c5b4a/);
    expect(encodedForms('short')).toEqual(['short', 'c2hvcnQ']);
    expect(encodedForms('a#b\\c')).toContain('a\\#b\\\\c');
  });

  it('finds well-known shapes with the maintained rule set, and JSON Web Tokens', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const slack = 'xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJabcd';
    const found = await findSecretPatterns(`const a = "${GITHUB_TOKEN}";\n${slack}\nAuthorization: Bearer ${jwt}\nplain words and numbers 12345\n`);
    expect(found.sort()).toEqual([GITHUB_TOKEN, jwt, slack].sort());
    const redactor = createSecretRedactor([]);
    expect(await redactor.discover(`token ${GITHUB_TOKEN}`)).toBe('token [REDACTED]');
    expect(redactor.redact(`later: ${GITHUB_TOKEN}`)).toBe('later: [REDACTED]');
  });

  it('reads .env lines like dotenv', () => {
    expect(parseEnvLines('# c\nexport A="x y" \nB=plain # note\nC=\'q\'\nnot a line\n')).toEqual([['A', 'x y'], ['B', 'plain'], ['C', 'q']]);
  });
});
