// A validation whose test loops forever, run while garbage collections are forced every 50 ms
// (node --expose-gc): the step's timeout must still fire. Prints the result as one JSON line.
// Usage: node --expose-gc --import tsx timeout-under-gc-child.ts <repoRoot>
import { configSchema } from '../../../agent/config/schema.js';
import { locateRepository } from '../../../agent/git/git-environment.js';
import { ensureStateDir } from '../../../agent/state/state-dir.js';
import { createSandboxPool } from '../../../sandbox/sandbox-pool.js';
import { runStrategy } from '../../../strategies/run-strategy.js';
import { silentLogger } from '../../sandbox/support/sandbox-fixtures.js';

const [repoRoot] = process.argv.slice(2);
const collect = (globalThis as { gc?: () => void }).gc;
if (!repoRoot || !collect) throw new Error('usage: node --expose-gc --import tsx timeout-under-gc-child.ts <repoRoot>');
const collector = setInterval(collect, 50);

const config = configSchema.parse({ validation: { tests: { command: 'node --test {files}', workers: 1, timeoutMs: 2_000, retryFailed: false } }, sandbox: { linkPaths: [] } });
const stateDir = await ensureStateDir(await locateRepository(repoRoot));
const pool = createSandboxPool({ repoRoot, stateDir, size: 1, linkPaths: [], logger: silentLogger });
const sandbox = await pool.acquire('HEAD', new AbortController().signal);
const changes = new Map([['test/spin.test.mjs', "import { test } from 'node:test';\ntest('spins', () => { for (;;) {} });\n"]]);
await sandbox.materialize(changes);
// Only a signal that never aborts: the step's own timer is the one thing that can stop it.
const result = await runStrategy('CREATE_NEW_TEST_FILE', { sandbox, changes, config, signal: new AbortController().signal, logger: silentLogger });
clearInterval(collector);
process.stdout.write(`${JSON.stringify({ reason: result.reason, steps: result.steps.map((step) => `${step.step}:${step.reason ?? 'ok'}`) })}\n`);
