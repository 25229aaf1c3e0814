// Shared set-up of the Architect tests: a real git repository in a temp dir, a real scan of
// it, and the real LLM client talking to the fake server.
import { fileURLToPath } from 'node:url';
import type { ArchitectContext, ArchitectInput } from '../../agent/architect/run-architect.js';
import { configSchema, type Config, type ConfigInput } from '../../agent/config/schema.js';
import { createLlmClient } from '../../agent/llm/create-llm-client.js';
import type { LlmClient } from '../../agent/llm/types.js';
import { renderManifest } from '../../agent/manifest/render-manifest.js';
import { scanRepository } from '../../agent/scanner/scan-repository.js';
import { keysFor, silentLogger, TEST_KEY } from '../llm/llm-test-kit.js';
import { ManualClock } from '../llm/manual-clock.js';
import type { FakeLlmServer } from '../support/fake-llm-server.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

/** The project's own templates, named explicitly so the tests do not depend on where the built-ins resolve from source. */
export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

export const USERS = [
  'import { db } from "./db.js";',
  '',
  'export async function findUser(id: string) {',
  '  const row = await db.users.find(id);',
  '  return row ?? null;',
  '}',
  '',
  'export async function removeUser(id: string) {',
  '  await db.users.delete(id);',
  '}',
  '',
].join('\n');

export const FILES: Record<string, string> = {
  'src/users.ts': USERS,
  'src/db.ts': 'export const db = { users: { find: async (id: string) => ({ id }), delete: async (_id: string) => {} } };\n',
  'src/api.ts': 'import { findUser } from "./users.js";\n\nexport const getUser = (id: string) => findUser(id);\n',
  'src/unrelated.ts': 'export const unrelated = 42;\n',
  '.env': 'DATABASE_PASSWORD=hunter2-very-secret\n',
};

export interface ArchitectSetup {
  repo: TempRepo;
  config: Config;
  client: LlmClient;
  input(objective: ArchitectInput['objective']): ArchitectInput;
  context(extra?: Partial<ArchitectContext>): ArchitectContext;
  dispose(): Promise<void>;
}

export interface SetUpOptions {
  files?: Record<string, string>;
  /** `.hephaestus/` for the persistent LLM cache; none by default. */
  stateDir?: string;
}

export async function setUpArchitect(server: FakeLlmServer, configInput: Omit<ConfigInput, 'llm'> = {}, options: SetUpOptions = {}): Promise<ArchitectSetup> {
  const files = options.files ?? FILES;
  const repo = await makeTempRepo(files);
  const config = configSchema.parse({
    llm: {
      provider: 'openai',
      baseUrl: server.openaiBaseUrl,
      models: { main: 'model-main', light: 'model-light' },
      retries: { maxAttempts: 1, baseDelayMs: 100, maxDelayMs: 1_000 },
    },
    prompts: { dir: PROMPTS_DIR },
    ...configInput,
  });
  const client = await createLlmClient({
    config,
    apiKeys: keysFor('openai'),
    stateDir: options.stateDir ?? null,
    logger: silentLogger,
    clock: new ManualClock({ autoAdvance: true }),
    random: () => 0.5,
    secrets: [TEST_KEY],
  });
  const scan = await scanRepository(repo.root, { config });
  const manifest = renderManifest(scan);
  return {
    repo,
    config,
    client,
    input: (objective) => ({ objective, scan, manifest, lessons: [] }),
    context: (extra = {}) => ({ repoRoot: repo.root, config, llm: client, logger: silentLogger, signal: new AbortController().signal, secrets: [TEST_KEY], ...extra }),
    async dispose() {
      await client.close();
      await repo.remove();
    },
  };
}

/** A reply as a model would write it: the plan as plain JSON. */
export const planReply = (plan: unknown): { text: string } => ({ text: JSON.stringify(plan, null, 2) });
