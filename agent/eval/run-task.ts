// One eval task from start to finish in its own directory: clone at base, setup, init (or the
// task's config), the cycles in process with the provider under evaluation, then the suite and
// the hidden check at the tip. Failures become the task's result; nothing here throws but abort.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { AbortedError } from '../core/errors.js';
import type { LlmProvider } from '../llm/provider.js';
import { createProviderRegistry } from '../llm/provider-registry.js';
import { createLogger } from '../logging/create-logger.js';
import { collectSecrets } from '../logging/redact-secrets.js';
import { PHASES, type Phase } from '../cycle/cycle-record.js';
import { stateDirOf } from '../state/state-dir.js';
import { checkTip, readBranchTip, type TipCheck } from './check-tip.js';
import { cloneTask, configureTask, runSetup } from './prepare-clone.js';
import { recordRequests } from './record-requests.js';
import { createReplayProvider, type ReplayProvider } from './replay-provider.js';
import { lastLines } from './run-task-commands.js';
import { runTaskCycles } from './run-task-cycles.js';
import { judgeTask, type EvalProviderName, type TaskCycle, type TaskResult, type TaskStage } from './task-result.js';
import type { EvalTask } from './task-schema.js';

export const REQUEST_LOG_FILE_NAME = 'requests.jsonl';
const SETUP_TIMEOUT_MS = 20 * 60_000;

export interface TaskRunSettings {
  provider: EvalProviderName;
  /** Model for every role (main and light); null keeps the configured ones. */
  model: string | null;
  /** A new directory for this task: the clone goes to `<directory>/repo`. */
  directory: string;
  /** Keep the directory (clone, state dir, request log) afterwards. */
  keep: boolean;
  signal: AbortSignal;
}

/** Stops a task at a stage with a problem in words and the output behind it. */
class StageFailure extends Error {
  constructor(
    readonly stage: TaskStage,
    readonly problem: string,
    readonly output: string | null,
  ) {
    super(problem);
  }
}

export async function runTask(task: EvalTask, settings: TaskRunSettings): Promise<TaskResult> {
  const started = performance.now();
  const result = emptyResult(task, settings);
  const root = path.join(settings.directory, 'repo');
  let replay: ReplayProvider | null = null;
  let logger: { handle: ReturnType<typeof createLogger> } | null = null;
  const timed = async <T>(stage: 'clone' | 'setup' | 'init' | 'cycles', work: () => Promise<T>): Promise<T> => {
    const stageStarted = performance.now();
    try {
      return await work();
    } catch (error) {
      if (error instanceof StageFailure || settings.signal.aborted) throw error;
      throw new StageFailure(stage, `${stage} failed: ${(error as Error).message}`, null);
    } finally {
      result.durationsMs[stage] = performance.now() - stageStarted;
    }
  };

  try {
    await mkdir(settings.directory, { recursive: true });
    const cloned = await timed('clone', () => cloneTask(task, root, settings.signal));
    result.base = cloned.base;
    await timed('setup', async () => {
      const setup = await runSetup(task, root, SETUP_TIMEOUT_MS, settings.signal);
      if (setup.failure) throw new StageFailure('setup', `setup failed: ${setup.failure.argv.join(' ')} (${describeExit(setup.failure)})`, lastLines(setup.failure.outputTail));
    });
    const loaded = await timed('init', async () => {
      result.init = await configureTask(task, root);
      return loadConfig({ repoRoot: root });
    });
    const config = configFor(loaded.config, settings);
    const { apiKeys } = loaded;
    result.branch = config.git.branch;
    result.model = settings.provider === 'replay' ? null : config.llm.models.main;

    const stateDir = stateDirOf(root);
    const handle = createLogger({ level: 'debug', stateDir, console: 'none', secrets: collectSecrets(process.env, [apiKeys.openai, apiKeys.anthropic]) });
    logger = { handle };
    const taskLogger: Logger = handle.logger.child({ command: 'eval', task: task.name });
    // A model behind a provider, or (a name no provider has, e.g. offline) the planner the config names.
    let provider: LlmProvider | null = null;
    const providers = createProviderRegistry();
    if (settings.provider === 'replay') {
      replay = createReplayProvider({ task: task.name, source: task.file, replies: task.replies });
      provider = replay;
    } else if (providers.names().includes(settings.provider)) {
      provider = await providers.create(settings.provider, { config, apiKeys, logger: taskLogger }, `eval --provider ${settings.provider}`);
    }
    const recording = provider && recordRequests(provider, path.join(settings.directory, REQUEST_LOG_FILE_NAME));
    const cycles = await timed('cycles', () =>
      runTaskCycles({
        repoRoot: root,
        stateDir,
        config,
        apiKeys,
        provider: recording,
        objective: task.objective,
        cycles: task.cycles,
        logger: taskLogger,
        signal: settings.signal,
      }),
    );
    result.cycles = cycles.summary.cycles.map(
      (record): TaskCycle => ({
        n: record.n,
        objective: record.objective,
        strategy: record.strategy,
        outcome: record.outcome,
        reason: record.reason,
        detail: record.detail,
        commit: record.commit,
        files: record.files,
        durationsMs: record.durationsMs as Record<Phase, number>,
      }),
    );
    for (const cycle of result.cycles) for (const phase of PHASES) result.durationsMs.phases[phase] += cycle.durationsMs[phase] ?? 0;
    result.llm = { ...cycles.usage, tokensCached: cycles.tokensCached };
    if (settings.signal.aborted) throw new AbortedError('eval was interrupted');

    const tip = await readBranchTip(root, config.git.branch, cloned.base, settings.signal);
    result.tip = tip.tip;
    result.commits = tip.commits;
    let tipCheck: TipCheck;
    try {
      tipCheck = await checkTip(task, root, tip.tip ?? cloned.base, config, settings.signal);
    } catch (error) {
      if (settings.signal.aborted) throw error;
      throw new StageFailure('check', `check failed to run: ${(error as Error).message}`, null);
    }
    result.suite = tipCheck.suite;
    result.suitePassed = tipCheck.suite?.passed ?? null;
    result.check = tipCheck.check;
    result.durationsMs.suite = tipCheck.durationsMs.suite;
    result.durationsMs.check = tipCheck.durationsMs.check;

    const judgement = judgeTask(task, result.cycles, result.commits, result.check);
    result.resolved = judgement.resolved;
    result.problem = judgement.problem;
    result.output = judgement.output === null ? null : lastLines(judgement.output);
    const asked = recording?.lastRequest() ?? null;
    if (!result.resolved && result.cycles[0]?.reason === 'LLM_REFUSED' && asked !== null) {
      // A used-up script usually follows a turn the script did not expect (a reflection): show it.
      result.output = `${result.output ?? ''}\nthe last request (${asked.purpose ?? 'no purpose'}) ended:\n${lastLines(asked.lastMessage, 8)}`;
    }
  } catch (error) {
    result.resolved = false;
    if (settings.signal.aborted) {
      result.problem = 'interrupted';
    } else if (error instanceof StageFailure) {
      result.stoppedAt = error.stage;
      result.problem = error.problem;
      result.output = error.output;
    } else {
      result.problem = `unexpected error: ${(error as Error).message}`;
    }
  } finally {
    result.repliesServed = replay?.served() ?? null;
    logger?.handle.flush();
    if (settings.keep) {
      result.directory = settings.directory;
    } else {
      await rm(settings.directory, { recursive: true, force: true, maxRetries: 3 });
    }
    result.durationsMs.total = performance.now() - started;
  }
  return result;
}

/** The loaded config with the provider and model under evaluation; the file is never changed. */
function configFor(loaded: Config, settings: TaskRunSettings): Config {
  const provider = settings.provider !== 'replay' ? settings.provider : loaded.llm.provider;
  const models = settings.model !== null ? { ...loaded.llm.models, main: settings.model, light: settings.model } : loaded.llm.models;
  return { ...loaded, llm: { ...loaded.llm, provider, models } };
}

function describeExit(command: { outcome: string; exitCode: number | null }): string {
  return command.outcome === 'failed' ? `exit ${command.exitCode}` : command.outcome;
}

function emptyResult(task: EvalTask, settings: TaskRunSettings): TaskResult {
  return {
    name: task.name,
    file: task.file,
    provider: settings.provider,
    model: settings.model,
    resolved: false,
    expect: task.expect,
    problem: null,
    output: null,
    stoppedAt: null,
    init: null,
    cycles: [],
    base: null,
    branch: null,
    tip: null,
    commits: 0,
    suitePassed: null,
    suite: null,
    check: null,
    durationsMs: { clone: 0, setup: 0, init: 0, cycles: 0, suite: 0, check: 0, total: 0, phases: Object.fromEntries(PHASES.map((phase) => [phase, 0])) as Record<Phase, number> },
    llm: { calls: 0, cacheHits: 0, tokensIn: 0, tokensOut: 0, tokensCached: 0, cost: 0 },
    repliesServed: null,
    directory: null,
  };
}
