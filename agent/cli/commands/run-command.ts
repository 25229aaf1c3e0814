// `hephaestus run`: parses nothing itself (program.ts did), builds the effective config (as new
// values: unattended guards, --offline), opens an agent (agent/create-agent.ts), runs the
// cycles through runCiCycles (agent/ci/run-ci-cycles.ts: the remote sync, per-run limits, push
// and pull request of --ci, git.push and --pr, each off unless asked) with the progress
// display, and prints the summary.
import { UNJAILED_WARNING } from '../../../strategies/commands/resolve-isolation.js';
import { runCiCycles, type CiSummary } from '../../ci/run-ci-cycles.js';
import { unattendedConfig } from '../../ci/unattended-config.js';
import { protectOwnConfig } from '../../config/protect-own-config.js';
import type { Config } from '../../config/schema.js';
import { createAgent, type Agent } from '../../create-agent.js';
import type { CycleEvent } from '../../cycle/cycle-events.js';
import { RUN_STOPPING_REASONS } from '../../cycle/run-cycles.js';
import { UsageError } from '../../core/errors.js';
import { readCycleRecords } from '../../state/evolution-log.js';
import { nextRunNumber } from '../../state/run-numbers.js';
import { stateDirOf } from '../../state/state-dir.js';
import { openCommandContext, type GlobalOptions } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { describePlannerChoice } from '../../planner/describe-planner.js';
import { checkCandidates } from '../candidate-limit.js';
import { ciNotes } from '../ci-notes.js';
import { formatDryRunChange, type ChangeValidated } from '../dry-run-report.js';
import { createProgressDisplay, type ProgressDisplay } from '../progress-display.js';
import { describeModelWork } from '../run-summary.js';
import type { CliRuntime } from '../cli-runtime.js';

export interface RunCommandOptions extends GlobalOptions {
  cycles?: number;
  continuous?: boolean;
  objective?: string;
  offline?: boolean;
  candidates?: number;
  json?: boolean;
  maxCommits?: number;
  maxMinutes?: number;
  /** Push the evolution branch and open or update a draft pull request (implies pushing). */
  pr?: boolean;
  model?: string;
  lightModel?: string;
  /** USD; overrides llm.budget.costPerRun. */
  maxCost?: number;
  /** Plan, pre-check and validate; print the diff and the verdict; commit nothing. */
  dryRun?: boolean;
  /** One JSON event per line on stdout, as it happens (the library's CycleEvents). */
  jsonl?: boolean;
}

/** --model, --light-model and --max-cost as config values (highest precedence). */
function configOverridesOf(options: RunCommandOptions): Record<string, unknown> {
  const models = { ...(options.model ? { main: options.model } : {}), ...(options.lightModel ? { light: options.lightModel } : {}) };
  return {
    llm: {
      ...(Object.keys(models).length > 0 ? { models } : {}),
      ...(options.maxCost !== undefined ? { budget: { costPerRun: options.maxCost } } : {}),
    },
  };
}

export async function runRunCommand(options: RunCommandOptions, runtime: CliRuntime): Promise<number> {
  if (options.jsonl && options.json) throw new UsageError('--json and --jsonl cannot be combined: --jsonl streams the events, --json prints one object at the end; pick one.');
  if (options.dryRun && options.pr) throw new UsageError('--dry-run commits nothing, so there is nothing to push with --pr; drop one of them.');
  // The agent takes the run lock itself.
  const context = await openCommandContext({ ...options, command: 'run', lock: false, signal: runtime.signal, onLogger: (handle) => runtime.loggers.add(handle), consoleStream: runtime.terminal.logStream, configOverrides: configOverridesOf(options) });
  const config = effectiveConfig(context.loaded.config, options, { repoRoot: context.repository.root, configFile: context.loaded.file });
  const cycles = options.continuous ? null : (options.cycles ?? 1);
  let display: ProgressDisplay | null = null;
  const changes: ChangeValidated[] = [];
  const onEvent = (event: CycleEvent) => {
    if (options.jsonl) runtime.io.out(context.redactor.redact(JSON.stringify(event)));
    if (event.type === 'change-validated') {
      changes.push(event);
      if (!machine(options)) {
        runtime.terminal.clearStatus();
        runtime.io.out(formatDryRunChange(event));
      }
    }
    display?.onEvent(event);
  };
  let agent: Agent | null = null;
  let summary: CiSummary | null = null;
  let modelCalls: { succeeded: number; failed: number } | null = null;
  try {
    const candidates = checkCandidates(options.candidates ?? 1, config);
    // Machine-readable runs keep stdout for JSON; the display is for people.
    if (!machine(options)) display = createProgressDisplay(runtime.terminal, cycles, nextRunNumber((await readCycleRecords(stateDirOf(context.repository.root))).records));
    // createAgent refuses to run without a jail unless the config says "none"; CI logs show that loudly.
    if (options.ci && config.sandbox.isolation === 'none') runtime.io.err(`\n${'!'.repeat(72)}\n${UNJAILED_WARNING}\n${'!'.repeat(72)}\n`);
    agent = await createAgent({
      repoRoot: context.repository.root,
      config,
      apiKeys: context.loaded.apiKeys,
      logger: context.logger,
      signal: context.signal,
      redactor: context.redactor,
      sandboxes: candidates,
      onEvent,
    });
    // Before the first cycle: which planner runs, and why (stderr, so the stdout of --json and
    // --ci stays one object).
    runtime.io.err(describePlannerChoice(config, context.loaded.apiKeys, options.offline ? '--offline was given' : undefined));
    summary = await runCiCycles(agent, {
      cycles,
      ...(options.objective ? { objective: options.objective } : {}),
      candidates,
      ...(options.maxCommits !== undefined ? { maxCommits: options.maxCommits } : {}),
      ...(options.maxMinutes !== undefined ? { maxMinutes: options.maxMinutes } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
      push: config.git.push || Boolean(options.pr),
      pullRequest: Boolean(options.pr),
      limitRun: Boolean(options.ci),
    });
    display?.stop();
    printSummary(summary, agent, changes, options, { ...runtime, io: { ...runtime.io, out: (text: string) => runtime.io.out(context.redactor.redact(text)), err: (text: string) => runtime.io.err(context.redactor.redact(text)) } });
    const llm = agent.planner.llm;
    modelCalls = llm === null ? null : { succeeded: llm.usage().calls, failed: llm.failedCalls() };
  } finally {
    display?.stop();
    await agent?.close();
    await context.close();
  }
  // Reported after the summary, so CI logs keep both.
  if (summary?.publishError) throw summary.publishError;
  if (runtime.signal.aborted) return EXIT.interrupted;
  const records = summary?.cycles ?? [];
  const stopping = records.find((cycle) => cycle.reason !== null && RUN_STOPPING_REASONS.has(cycle.reason));
  if (stopping) {
    runtime.io.err(`error: ${stopping.reason}: ${stopping.detail.split('\n')[0]}`);
    return EXIT.failure;
  }
  // A run whose every model call failed did no work, whatever its cycles say (e.g. skipped after a fallback).
  if (modelCalls !== null && modelCalls.failed > 0 && modelCalls.succeeded === 0) return EXIT.failure;
  return records.length > 0 && records.every((cycle) => cycle.outcome === 'failed') ? EXIT.failure : EXIT.ok;
}

/** The config of this run, as a new value: unattended guards for --ci (every run protects the config file it read), the offline engine for --offline. */
function effectiveConfig(loaded: Config, options: RunCommandOptions, files: { repoRoot: string; configFile: string | null }): Config {
  const unattended = options.ci ? unattendedConfig(loaded, files) : protectOwnConfig(loaded, files);
  return options.offline ? { ...unattended, llm: { ...unattended.llm, provider: 'offline' } } : unattended;
}

function printSummary(summary: CiSummary, agent: Agent, changes: readonly ChangeValidated[], options: RunCommandOptions, runtime: CliRuntime): void {
  const usage = agent.usage();
  const unattended = { remote: summary.remote, pullRequest: summary.pullRequest, runChange: summary.runChange };
  const dryRun = options.dryRun ? { dryRun: true, changes: changes.map(({ type: _type, ...change }) => change) } : {};
  if ((options.json || options.ci) && !options.jsonl) {
    runtime.io.out(JSON.stringify({ cycles: summary.cycles, committed: summary.committed, branch: summary.branch, stopReason: summary.stopReason, llm: usage, ...unattended, ...dryRun }));
  } else {
    // With --jsonl stdout holds only events; the sentence goes to stderr.
    const say = options.jsonl ? runtime.io.err : runtime.io.out;
    const rejected = summary.cycles.filter((cycle) => cycle.outcome === 'rejected').length;
    const failed = summary.cycles.filter((cycle) => cycle.outcome === 'failed').length;
    say(
      `${summary.cycles.length} cycle(s): ${summary.committed} committed to ${summary.branch}, ${rejected} rejected, ${failed} failed` +
        `${summary.stopReason ? `; stopped: ${summary.stopReason}` : ''}. ${describeModelWork(summary.cycles, usage, agent.planner.llm !== null)}${options.dryRun ? ' Dry run: no branch, log, memory or queue was written.' : ''}`,
    );
  }
  // Human-readable notes go to stderr in --ci/--json, so stdout stays one JSON object.
  const note = (text: string) => (machine(options) ? runtime.io.err(text) : runtime.io.out(text));
  for (const line of ciNotes(summary)) note(line);
}

function machine(options: RunCommandOptions): boolean {
  return Boolean(options.json || options.ci || options.jsonl);
}
