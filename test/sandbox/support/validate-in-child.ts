// A validation run in its own process, for the crash-recovery test: it leases a sandbox and
// validates a change whose test hangs, so the parent can SIGKILL it mid-validation.
// Usage: node --import tsx validate-in-child.ts <repoRoot> <stateDir> <marker>
import { configSchema } from '../../../agent/config/schema.js';
import { createSandboxPool } from '../../../sandbox/sandbox-pool.js';
import { runStrategy } from '../../../strategies/run-strategy.js';
import { silentLogger } from './sandbox-fixtures.js';

const [repoRoot, stateDir, marker] = process.argv.slice(2);
if (!repoRoot || !stateDir || !marker) throw new Error('usage: validate-in-child.ts <repoRoot> <stateDir> <marker>');

const config = configSchema.parse({ validation: { tests: { command: 'node --test {files}', workers: 1 } }, sandbox: { linkPaths: [] } });
const pool = createSandboxPool({ repoRoot, stateDir, size: 1, linkPaths: [], logger: silentLogger });
await pool.recover();
const signal = new AbortController().signal;
const sandbox = await pool.acquire('HEAD', signal);
// The test starts a helper process (its own session, working directory /, `<marker>-helper`
// as an argument so the parent can find it) and then hangs.
const hangingTest = [
  "import { test } from 'node:test';",
  "import { spawn } from 'node:child_process';",
  `spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ${JSON.stringify(`${marker}-helper`)}], { stdio: 'ignore', detached: true, cwd: '/' }).unref();`,
  "test('waits forever', () => new Promise(() => setInterval(() => {}, 1000)));",
  '',
].join('\n');
const changes = new Map([['test/hang.test.mjs', hangingTest]]);
await sandbox.materialize(changes);
await runStrategy('SYNTAX_AND_TESTS', { sandbox, changes, config, signal, logger: silentLogger });
