// A small real project for end-to-end cycle tests: node:test suites (nothing to install), a
// config pointing at the fake LLM server, helpers to script the server by role, and cycles run
// in process through the library API (createAgent), the way `hephaestus run` runs them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { unattendedConfig } from '../../agent/ci/unattended-config.js';
import { createAgent, type Agent, type CreateAgentOptions } from '../../agent/create-agent.js';
import type { LlmProvider, ProviderRequest } from '../../agent/llm/provider.js';
import { loadConfig, type ApiKeys } from '../../agent/config/load-config.js';
import { protectOwnConfig } from '../../agent/config/protect-own-config.js';
import type { RunCyclesOptions, RunSummary } from '../../agent/cycle/run-cycles.js';
import { addObjective } from '../../agent/objectives/objective-queue.js';
import { locateRepository } from '../../agent/git/git-environment.js';
import { ensureStateDir } from '../../agent/state/state-dir.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeReply, type RecordedRequest } from '../support/fake-llm-server.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

export const TEST_API_KEY = 'sk-test-cycle-0123456789';
/** The keys an in-process run gets: the fake server accepts them for both protocols. */
export const TEST_API_KEYS: ApiKeys = { openai: TEST_API_KEY, anthropic: TEST_API_KEY };
/** No key at all: `llm.provider: "auto"` then picks the offline engine. */
export const NO_API_KEYS: ApiKeys = { openai: null, anthropic: null };

/** Anything a test makes and must release after it: an agent (closed), a repository or a remote project (removed). */
export type Releasable = { close(): Promise<void> } | { remove(): Promise<void> };

export interface TestScope {
  /** Keeps `made` to release after the current test (last made, first released); returns it. */
  use<T extends Releasable>(made: T): T;
}

/** Releases, after each test, what the test kept with `use`: agents closed before their repositories are removed. */
export function useTestScope(): TestScope {
  const held: Releasable[] = [];
  afterEach(async () => {
    const errors: unknown[] = [];
    for (const made of held.splice(0).reverse()) {
      try {
        await ('close' in made ? made.close() : made.remove());
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, "releasing the test's agents and repositories failed");
  });
  return {
    use(made) {
      held.push(made);
      return made;
    },
  };
}

export interface CycleBench extends TestScope {
  /** The fake LLM server of the current test (or of the file, with `perFile`). */
  readonly server: FakeLlmServer;
}

/**
 * The set-up every cycle test file shares: a fake LLM server started before each test (or once
 * for the file with `perFile`) and closed after, and what the test kept with `use` released after it.
 */
export function useCycleBench(options: { perFile?: boolean } = {}): CycleBench {
  let server: FakeLlmServer | undefined;
  const start = async () => {
    server = await startFakeLlmServer();
  };
  const stop = async () => {
    await server?.close();
    server = undefined;
  };
  if (options.perFile) {
    beforeAll(start);
    afterAll(stop);
    afterEach(() => server?.reset());
  } else {
    beforeEach(start);
    afterEach(stop);
  }
  const scope = useTestScope();
  return {
    get server() {
      if (!server) throw new Error('the fake LLM server runs only inside a test');
      return server;
    },
    use: scope.use,
  };
}

export interface OpenAgentOptions {
  apiKeys?: ApiKeys;
  logger?: Logger;
  signal?: AbortSignal;
  onEvent?: CreateAgentOptions['onEvent'];
  /** Config values over the repository's file (what --model or --max-cost set). */
  overrides?: Record<string, unknown>;
  /** Size of the sandbox pool at least (what --candidates N needs). */
  sandboxes?: number;
  /** With the guards of unattended runs (what `run --ci` adds). */
  unattended?: boolean;
}

export interface RunAgentOptions extends Partial<RunCyclesOptions>, Omit<OpenAgentOptions, 'sandboxes' | 'unattended'> {}

export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * Opens an agent on the repository's hephaestus.config.json, as `hephaestus run` does (its own
 * config file protected, or the unattended guards; no user-level file, no environment overrides).
 */
export async function openTestAgent(root: string, options: OpenAgentOptions = {}): Promise<Agent> {
  const { apiKeys = TEST_API_KEYS, logger = silentLogger, signal, onEvent, overrides, sandboxes = 1, unattended = false } = options;
  const loaded = await loadConfig({ repoRoot: root, env: {}, userConfigPath: null, ...(overrides ? { overrides } : {}) });
  const files = { repoRoot: root, configFile: loaded.file };
  const config = unattended ? unattendedConfig(loaded.config, files) : protectOwnConfig(loaded.config, files);
  return createAgent({ repoRoot: root, config, apiKeys, logger, sandboxes, ...(signal ? { signal } : {}), ...(onEvent ? { onEvent } : {}) });
}

/** Runs cycles in process (see openTestAgent), then closes the agent. */
export async function runAgent(root: string, options: RunAgentOptions = {}): Promise<RunSummary> {
  const { apiKeys, logger, signal, onEvent, overrides, ...cycles } = options;
  const agent = await openTestAgent(root, { apiKeys, logger, signal, onEvent, overrides, sandboxes: cycles.candidates ?? 1 });
  try {
    return await agent.runCycles({ cycles: 1, ...cycles });
  } finally {
    await agent.close();
  }
}

/** Queues user objectives, as `hephaestus objective add` does. */
export async function queueObjectives(root: string, ...objectives: string[]): Promise<void> {
  const stateDir = await ensureStateDir(await locateRepository(root));
  for (const text of objectives) await addObjective(stateDir, { text, source: 'user', files: [] });
}

export const MATH_SOURCE = `export function add(a, b) {
  return a + b;
}

export function multiply(a, b) {
  return a * b;
}
`;

export const MATH_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add, multiply } from '../src/math.js';

test('add sums two numbers', () => {
  assert.equal(add(2, 3), 5);
});

test('multiply multiplies', () => {
  assert.equal(multiply(2, 3), 6);
});
`;

export function projectConfig(server: FakeLlmServer, extra: Record<string, unknown> = {}): string {
  const config = {
    llm: {
      provider: 'openai',
      baseUrl: server.openaiBaseUrl,
      models: { main: 'model-main', light: 'model-light' },
      retries: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
    },
    sandbox: { linkPaths: [], pool: 2 },
    validation: { tests: { command: 'node --test {files}', files: ['test/**/*.test.js'], workers: 2, timeoutMs: 60_000 } },
    strategies: { default: 'SYNTAX_AND_TESTS' },
    ...extra,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export async function makeNodeProject(server: FakeLlmServer, extraConfig: Record<string, unknown> = {}): Promise<TempRepo> {
  return makeTempRepo({
    'package.json': '{ "name": "fixture", "type": "module", "private": true }\n',
    'src/math.js': MATH_SOURCE,
    'test/math.test.js': MATH_TEST,
    'README.md': '# Fixture\n',
    'hephaestus.config.json': projectConfig(server, extraConfig),
  });
}

export type Role = 'architect' | 'objective' | 'maestro' | 'review' | 'other';

export function roleOf(request: RecordedRequest): Role {
  if (request.system.startsWith('You are the Architect')) return 'architect';
  if (request.system.startsWith('You are the strategist')) return 'objective';
  if (request.system.startsWith('You are the Maestro')) return 'maestro';
  if (request.system.includes('review')) return 'review';
  return 'other';
}

/** The objective text an Architect request carries: the "## Objective" section of its first user message. */
export function objectiveOf(request: RecordedRequest): string {
  const messages: Array<{ role: string; content: unknown }> = Array.isArray(request.body?.messages) ? request.body.messages : [];
  return objectiveInMessages(messages);
}

/** The same for the messages of a provider request (a provider written for a test). */
export function objectiveInMessages(messages: ReadonlyArray<{ role: string; content: unknown }>): string {
  const first = messages.find((message) => message.role === 'user')?.content;
  const text = typeof first === 'string' ? first : Array.isArray(first) ? first.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('') : '';
  return /^## Objective\n\n([\s\S]*?)\n\nWrite the patch plan/.exec(text)?.[1]?.trim() ?? '';
}

export function planReply(patches: unknown[], analysis = 'scripted plan'): FakeReply {
  return { text: JSON.stringify({ analysis, patches }) };
}

export const plans = {
  addSubtract: [{ operation: 'INSERT', file_path: 'src/math.js', content: '\nexport function subtract(a, b) {\n  return a - b;\n}\n' }],
  subtractTest: [
    {
      operation: 'REPLACE',
      file_path: 'test/subtract.test.js',
      block_to_replace: null,
      content: "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { subtract } from '../src/math.js';\n\ntest('subtract takes away', () => {\n  assert.equal(subtract(5, 3), 2);\n});\n",
    },
  ],
  readme: [{ operation: 'INSERT', file_path: 'README.md', content: '\nAdds and multiplies numbers.\n' }],
  breakAdd: [{ operation: 'REPLACE', file_path: 'src/math.js', block_to_replace: 'return a + b;', content: 'return a - b;' }],
};

/** Answers the Maestro with `strategy` and the Architect by objective text. */
export function scriptRoles(server: FakeLlmServer, architect: (objective: string, request: RecordedRequest) => FakeReply | Promise<FakeReply>, strategy = 'SYNTAX_AND_TESTS'): void {
  server.respondWith((request) => {
    const role = roleOf(request);
    if (role === 'maestro') return { text: JSON.stringify({ strategy, reason: 'scripted' }) };
    if (role === 'architect') return architect(objectiveOf(request), request);
    return { text: '{"objective": "nothing scripted for this role"}' };
  });
}

export interface ScriptedProvider extends LlmProvider {
  /** Every request, in order. */
  readonly requests: ProviderRequest[];
  /** The purpose of every request, in order. */
  readonly purposes: string[];
}

/**
 * A provider written for a test, answering by purpose (a value is sent as JSON, a string as it
 * is); a purpose without an answer fails the call. Each reply reports `tokensPerCall` input tokens.
 */
export function scriptedProvider(answers: Readonly<Record<string, (request: ProviderRequest) => unknown>>, tokensPerCall = 0): ScriptedProvider {
  const requests: ProviderRequest[] = [];
  return {
    name: 'scripted',
    url: 'scripted://test',
    requests,
    get purposes() {
      return requests.map((request) => request.purpose ?? '');
    },
    async send(request: ProviderRequest) {
      requests.push(request);
      const answer = answers[request.purpose ?? ''];
      if (!answer) throw new Error(`no scripted reply for ${request.purpose}`);
      const reply = await answer(request);
      return { text: typeof reply === 'string' ? reply : JSON.stringify(reply), model: 'scripted', usage: { inputTokens: tokensPerCall, outputTokens: 0 } };
    },
  };
}

export async function readJsonFile<T = any>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

export function stateFile(repo: TempRepo, name: string): string {
  return path.join(repo.root, '.hephaestus', name);
}
