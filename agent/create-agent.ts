// The composition root (DESIGN.md §9): everything a run needs — config, run lock, planner and
// its LLM client, memory, caches, sandbox pool — opened once for a repository and closed by
// close(), which collects every cleanup error. The CLI's `run` is a thin client of this.
import { readEnvFileSecrets } from './logging/env-file-secrets.js';
import { collectSecrets } from './logging/redact-secrets.js';
import { createSecretRedactor, type SecretRedactor } from './logging/secret-redactor.js';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type Keyv from 'keyv';
import { cacheProblem, cacheUnavailableWarning, memoryCache, openCache } from './cache/open-cache.js';
import { formatConfigIssues } from './config/format-config-issues.js';
import { loadConfig, readApiKeys, type ApiKeys } from './config/load-config.js';
import { configSchema, type Config, type ConfigInput } from './config/schema.js';
import type { CycleContext } from './cycle/cycle-context.js';
import type { CycleEventListener } from './cycle/cycle-events.js';
import type { CycleRecord } from './cycle/cycle-record.js';
import { runCycles, type RunCyclesOptions, type RunSummary } from './cycle/run-cycles.js';
import type { DeepReadonly } from './core/deep-readonly.js';
import { AbortedError, ConfigError } from './core/errors.js';
import { locateRepository } from './git/git-environment.js';
import { resolveBranchBase } from './git/resolve-branch-base.js';
import { systemClock, type Clock } from './core/clock.js';
import { randomIds, type IdSource } from './core/ids.js';
import type { LlmCache } from './llm/llm-cache.js';
import type { LlmProvider, ProviderFactory } from './llm/provider.js';
import type { RateLimiter } from './llm/rate-limiter.js';
import { createProviderRegistry } from './llm/provider-registry.js';
import type { UsageTotals } from './llm/types.js';
import { AgentMemory } from './memory/agent-memory.js';
import { createPlanner } from './planner/create-planner.js';
import type { Planner } from './planner/planner.js';
import { statusOf, type StatusReport } from './state/collect-status.js';
import { acquireRunLock, type RunLock } from './state/run-lock.js';
import { ensureStateDir } from './state/state-dir.js';
import { createSandboxPool } from '../sandbox/sandbox-pool.js';
import { resolveIsolation, UNJAILED_WARNING } from '../strategies/commands/resolve-isolation.js';

export interface CreateAgentOptions {
  /** A directory inside the git repository to evolve. */
  repoRoot: string;
  /** The configuration (defaults filled in); without it the repository's hephaestus.config.json is read, with its environment overrides. */
  config?: DeepReadonly<ConfigInput>;
  /** The config file to read when `config` is absent (default: hephaestus.config.json in the repository). */
  configFile?: string;
  /** API keys; by default read from the environment. */
  apiKeys?: ApiKeys;
  /** What proposes objectives and plans; by default the LLM planner, or the offline engine without a model. */
  planner?: Planner;
  /** An LLM provider to plan with (through the normal client: cache, limiter, retries, budgets). */
  provider?: LlmProvider;
  /** More providers for `llm.provider` to name. */
  providers?: Readonly<Record<string, ProviderFactory>>;
  clock?: Clock;
  /** Run ids (default: random UUIDs). */
  ids?: IdSource;
  /** Default: silent. */
  logger?: Logger;
  /** Aborting it stops the run cleanly after the current step. */
  signal?: AbortSignal;
  /** Receives cycle and phase events. */
  onEvent?: CycleEventListener;
  /** Size of the sandbox pool at least (default 1; `--candidates N` needs N). */
  sandboxes?: number;
  /** The one redaction pass of every sink (default: the environment's secrets, the repository's .env values). */
  redactor?: SecretRedactor;
  /** What holds the run lock, as other processes are told (default "run"). */
  command?: string;
  /** The `llm` cache to use instead of the repository's own (e.g. one shared in Redis by a fleet); the caller closes it. */
  llmCache?: LlmCache;
  /** A rate limiter shared with other agents (e.g. across a fleet's workers); the caller closes it. */
  rateLimiter?: RateLimiter;
}

export interface Agent {
  readonly repoRoot: string;
  readonly stateDir: string;
  readonly config: Config;
  readonly planner: Planner;
  /** The run's logger, signal and secret redaction, for what runs around the cycles (agent/ci/run-ci-cycles.ts). */
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly redactor: SecretRedactor;
  /** Runs cycles (default: one). */
  runCycles(options?: Partial<RunCyclesOptions>): Promise<RunSummary>;
  /** Runs exactly one cycle. */
  runCycle(options?: { objective?: string; candidates?: number }): Promise<CycleRecord>;
  status(): Promise<StatusReport>;
  /** LLM usage of this agent so far. */
  usage(): UsageTotals;
  /** Releases the lock, flushes memory, closes caches, the pool and the planner. */
  close(): Promise<void>;
}

export async function createAgent(options: CreateAgentOptions): Promise<Agent> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const signal = options.signal ?? new AbortController().signal;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const repository = await locateRepository(path.resolve(options.repoRoot));
  const repoRoot = repository.root;
  const { config, apiKeys } = await configurationOf(options, repoRoot);
  // No model-written code runs unless a jail can be built here (JailUnavailableError names the
  // fix), or the config says sandbox.isolation "none".
  if ((await resolveIsolation(config.sandbox.isolation)) === 'none') logger.warn({ event: 'isolation-none' }, UNJAILED_WARNING);
  const redactor = options.redactor ?? createSecretRedactor([...collectSecrets(process.env, [apiKeys.openai, apiKeys.anthropic]), ...(await readEnvFileSecrets(repoRoot))]);
  const stateDir = await ensureStateDir(repository);
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    for (const error of errors) logger.error({ err: error }, 'cleanup-failed');
  };

  try {
    const lock: RunLock = await acquireRunLock(stateDir, {
      command: options.command ?? 'run',
      onStaleLock: (stale) =>
        logger.warn(
          { stale },
          stale ? `took over a stale run lock left by pid ${stale.pid} (${stale.command}, since ${stale.startedAt}); that process is gone` : 'took over an unreadable run lock',
        ),
    });
    cleanups.push(() => lock.release());
    // A repository without a commit has nothing to evolve from: say so before any work.
    await resolveBranchBase(repoRoot, config.git.branch, signal);
    // The persistent cache is optional: without it (no SQLite module, a file that does not open)
    // the run goes on with the scan cache in memory and no LLM cache, after one warning.
    const problem = await cacheProblem(stateDir);
    if (problem !== null) logger.warn({ event: 'cache-unavailable' }, cacheUnavailableWarning(problem));
    const planner =
      options.planner ??
      (await createPlanner({
        config,
        apiKeys,
        redactor,
        repoRoot,
        stateDir: problem === null ? stateDir : null,
        logger,
        providers: createProviderRegistry(options.providers),
        ...(options.provider ? { provider: options.provider } : {}),
        ...(options.llmCache ? { llmCache: options.llmCache } : {}),
        ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
        clock,
      }));
    cleanups.push(() => planner.close());
    const memory = await AgentMemory.open(stateDir, { maxEntries: config.memory.maxEntries, logger, redact: redactor.redact });
    cleanups.push(() => memory.flush());
    const scanCache: Keyv = problem === null ? await openCache(stateDir, 'scan') : memoryCache('scan');
    cleanups.push(() => scanCache.disconnect());
    const pool = createSandboxPool({
      repoRoot,
      stateDir,
      size: Math.max(config.sandbox.pool, options.sandboxes ?? 1),
      linkPaths: config.sandbox.linkPaths,
      logger,
      author: config.git.author,
    });
    cleanups.push(() => pool.close());
    await pool.recover(signal);

    const contextOf = (): CycleContext => ({
      repoRoot,
      stateDir,
      config,
      planner,
      memory,
      pool,
      logger,
      signal,
      runId: ids(),
      scanCache,
      clock,
      onEvent: options.onEvent ?? null,
      decisions: new Map(),
      redactor,
    });
    const run = (runOptions: Partial<RunCyclesOptions> = {}) => runCycles({ cycles: 1, ...runOptions }, contextOf());

    return {
      repoRoot,
      stateDir,
      config,
      planner,
      logger,
      signal,
      redactor,
      runCycles: run,
      async runCycle(cycleOptions = {}) {
        const [record] = (await run({ cycles: 1, ...cycleOptions })).cycles;
        if (!record) throw new AbortedError('The agent was interrupted before the cycle started.', { cause: signal.reason });
        return record;
      },
      status: () => statusOf(repoRoot, config),
      usage: () => planner.llm?.usage() ?? { calls: 0, cacheHits: 0, tokensIn: 0, cachedTokensIn: 0, tokensOut: 0, cost: 0 },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function configurationOf(options: CreateAgentOptions, repoRoot: string): Promise<{ config: Config; apiKeys: ApiKeys }> {
  if (options.config === undefined) {
    const loaded = await loadConfig({ repoRoot, configPath: options.configFile });
    return { config: loaded.config, apiKeys: options.apiKeys ?? loaded.apiKeys };
  }
  const parsed = configSchema.safeParse(options.config, { reportInput: true });
  if (!parsed.success) {
    const lines = formatConfigIssues(parsed.error.issues, configSchema);
    throw new ConfigError(`createAgent({ config }): invalid configuration\n${lines.map((line) => `  ${line}`).join('\n')}`, { details: { issues: lines } });
  }
  return { config: parsed.data, apiKeys: options.apiKeys ?? readApiKeys(parsed.data, process.env) };
}
