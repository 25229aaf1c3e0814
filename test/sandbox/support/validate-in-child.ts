// A validation run in its own process, for the crash-recovery test: it leases a sandbox and
// validates a change whose test hangs, so the parent can SIGKILL it mid-validation.
// Usage: node --import tsx validate-in-child.ts <repoRoot> <stateDir> <pidFile>
import { configSchema } from '../../../agent/config/schema.js';
import { createSandboxPool } from '../../../sandbox/sandbox-pool.js';
import { runStrategy } from '../../../strategies/run-strategy.js';
import { silentLogger } from './sandbox-fixtures.js';

const [repoRoot, stateDir, pidFile] = process.argv.slice(2);
if (!repoRoot || !stateDir || !pidFile) throw new Error('usage: validate-in-child.ts <repoRoot> <stateDir> <pidFile>');

const config = configSchema.parse({ validation: { tests: { command: 'node --test {files}', workers: 1 } }, sandbox: { linkPaths: [] } });
const pool = createSandboxPool({ repoRoot, stateDir, size: 1, linkPaths: [], logger: silentLogger });
await pool.recover();
const signal = new AbortController().signal;
const sandbox = await pool.acquire('HEAD', signal);
// The test starts a helper process (outliving the test runner's pipes) and then hangs.
const hangingTest = [
  "import { test } from 'node:test';",
  "import { spawn } from 'node:child_process';",
  "import { appendFileSync } from 'node:fs';",
  "const helper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
  `appendFileSync(${JSON.stringify(pidFile)}, helper.pid + '\\n');`,
  "test('waits forever', () => new Promise(() => setInterval(() => {}, 1000)));",
  '',
].join('\n');
const changes = new Map([['test/hang.test.mjs', hangingTest]]);
await sandbox.materialize(changes);
await runStrategy('SYNTAX_AND_TESTS', { sandbox, changes, config, signal, logger: silentLogger });
