// The Maestro: rules, memory, the light model through the fake server, and the floor that
// keeps a code change from skipping its tests.
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../agent/config/schema.js';
import { classifyPlanFiles, selectStrategy, type MaestroContext, type StrategyChoice } from '../../agent/maestro.js';
import { AgentMemory } from '../../agent/memory/agent-memory.js';
import { createTestFileMatcher } from '../../agent/scanner/test-files.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { makeTempDir } from '../support/temp-repo.js';
import { clientFor } from '../llm/llm-test-kit.js';

const withTests: Config = configSchema.parse({ validation: { tests: { command: 'node --test {files}' }, typecheck: { command: 'npx tsc --noEmit' } } });
const isTestFile = createTestFileMatcher(withTests.validation.tests.files);
const baseFiles = new Set(['src/a.ts', 'src/a.test.ts', 'README.md', 'package.json']);
const plan = (entries: Record<string, string | null>) => ({ changes: new Map(Object.entries(entries)), baseFiles, analysis: 'test plan' });

let server: FakeLlmServer | undefined;
afterEach(async () => server?.close());

function context(extra: Partial<MaestroContext> = {}): MaestroContext {
  return { config: withTests, repoRoot: process.cwd(), isTestFile, logger: pino({ level: 'silent' }), ...extra };
}

describe('Maestro rules', () => {
  it.each<[string, Record<string, string | null>, string]>([
    ['no patches', {}, 'DISCARD'],
    ['docs only', { 'README.md': '# new\n', 'docs/guide.md': 'x' }, 'DOC_UPDATE'],
    ['only new test files', { 'src/b.test.ts': 'test' }, 'CREATE_NEW_TEST_FILE'],
    ['config files', { 'package.json': '{}', 'README.md': 'x' }, 'CONFIG_UPDATE'],
    ['existing tests edited', { 'src/a.test.ts': 'x' }, 'TEST_FIX'],
  ])('%s → %s', async (_name, changes, expected) => {
    const choice = await selectStrategy(plan(changes), context());
    expect(choice.strategy).toBe(expected);
    expect(choice.source).toBe('rule');
  });

  it('classifies each file by kind and change', () => {
    expect(classifyPlanFiles(plan({ 'src/a.ts': null, 'src/new.ts': 'x', 'src/a.test.ts': 'y', '.eslintrc': '{}' }), isTestFile)).toEqual([
      { path: '.eslintrc', kind: 'config', change: 'added' },
      { path: 'src/a.test.ts', kind: 'test', change: 'modified' },
      { path: 'src/a.ts', kind: 'source', change: 'deleted' },
      { path: 'src/new.ts', kind: 'source', change: 'added' },
    ]);
  });
});

describe('Maestro beyond the rules', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await makeTempDir();
  });

  it('uses memory when a strong-enough strategy has enough attempts, ignoring weaker ones', async () => {
    const memory = await AgentMemory.open(stateDir, { maxEntries: 10 });
    for (let index = 0; index < 10; index++) memory.recordStrategy('SYNTAX_ONLY', true, 1); // too weak for code
    for (let index = 0; index < 6; index++) memory.recordStrategy('SYNTAX_AND_TESTS', index < 5, 1);
    for (let index = 0; index < 6; index++) memory.recordStrategy('FULL_VALIDATION', index < 3, 1);
    const choice = await selectStrategy(plan({ 'src/a.ts': 'changed' }), context({ memory }));
    expect(choice).toEqual({ strategy: 'SYNTAX_AND_TESTS', source: 'memory', reason: 'highest success rate in memory: 83% of 6' });
  });

  it('asks the light model when undecided, once per plan shape', async () => {
    server = await startFakeLlmServer();
    server.enqueue({ text: '```json\n{"strategy": "SYNTAX_AND_TESTS", "reason": "small refactor"}\n```' });
    const { client } = await clientFor(server);
    const decisions = new Map<string, StrategyChoice>();
    const first = await selectStrategy(plan({ 'src/a.ts': 'changed' }), context({ llm: client, decisions }));
    expect(first).toEqual({ strategy: 'SYNTAX_AND_TESTS', source: 'llm', reason: 'small refactor' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.system).toContain('- src/a.ts (source, modified)');
    expect(server.requests[0]!.model).toBe('model-light');

    const second = await selectStrategy(plan({ 'src/a.ts': 'changed again' }), context({ llm: client, decisions }));
    expect(second.strategy).toBe('SYNTAX_AND_TESTS');
    expect(second.reason).toBe('small refactor (same plan shape as an earlier cycle)');
    expect(server.requests).toHaveLength(1);
  });

  it('an unknown or too-weak model choice falls back to the default with the reason recorded', async () => {
    server = await startFakeLlmServer();
    server.enqueue({ text: '{"strategy": "YOLO"}' }, { text: '{"strategy": "SYNTAX_ONLY"}' });
    const { client } = await clientFor(server);
    const unknown = await selectStrategy(plan({ 'src/a.ts': 'x' }), context({ llm: client }));
    expect(unknown).toEqual({
      strategy: 'FULL_VALIDATION',
      source: 'default',
      reason: 'the model chose "YOLO", which is not an eligible strategy; using strategies.default',
    });
    const weak = await selectStrategy(plan({ 'src/new.ts': 'x' }), context({ llm: client }));
    expect(weak).toEqual({
      strategy: 'FULL_VALIDATION',
      source: 'llm',
      reason: 'chosen by the light model; raised from SYNTAX_ONLY to FULL_VALIDATION because the change needs syntax, tests, typecheck',
    });
  });

  it('a weak configured default is raised for code changes when tests exist', async () => {
    const config = configSchema.parse({ validation: { tests: { command: 'node --test {files}' } }, strategies: { default: 'SYNTAX_ONLY' } });
    const choice = await selectStrategy(plan({ 'src/a.ts': 'x' }), { ...context(), config });
    expect(choice.strategy).toBe('FULL_VALIDATION');
    expect(choice.reason).toBe(
      'no rule, no memory and no model decided; using strategies.default; raised from SYNTAX_ONLY to FULL_VALIDATION because the change needs syntax, tests',
    );
  });
});
