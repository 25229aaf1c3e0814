// The commander program and the CLI's single error boundary: every command returns an exit
// code; errors are mapped to exit codes by identity (exit-codes.ts), never printed as stacks.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { LOG_LEVELS, type LogLevel } from '../config/log-levels.js';
import { UsageError, isHephaestusError } from '../core/errors.js';
import { packageRoot } from '../package-root.js';
import type { LoggerHandle } from '../logging/create-logger.js';
import { collectSecrets, redactSecrets } from '../logging/redact-secrets.js';
import { processIo, type CommandIo } from './command-io.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { VERSION, type CliRuntime } from './cli-runtime.js';
import { createTerminal } from './terminal.js';

export function positiveInteger(name: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`${name} must be a positive integer, received "${value}".`);
    return parsed;
  };
}

export function positiveNumber(name: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`${name} must be a positive number, received "${value}".`);
    return parsed;
  };
}

export function buildProgram(runtime: CliRuntime, setExitCode: (code: number) => void): Command {
  const program = new Command('hephaestus')
    .description('A self-evolving code agent: plans patches with an LLM, validates them in a git-worktree sandbox, and commits only what passed.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--log-level <level>', 'log level for this command').choices([...LOG_LEVELS]))
    .showHelpAfterError('(run "hephaestus --help" for usage)')
    .configureOutput({
      writeOut: (text) => runtime.io.out(text.replace(/\n$/, '')),
      writeErr: (text) => runtime.io.err(text.replace(/\n$/, '')),
    })
    .exitOverride();

  program
    .command('init')
    .description('write a hephaestus.config.json for the repository and keep .hephaestus/ out of git')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .option('--force', 'overwrite an existing config (and workflow with --ci)')
    .option('--no-check', 'write the detected commands without running them on the base commit first')
    .addOption(new Option('--ci <provider>', 'also write a scheduled CI workflow (.github/workflows/hephaestus.yml)').choices(['github']))
    .action(async (options: { repo?: string; force?: boolean; check?: boolean; ci?: 'github' }) => {
      const { runInitCommand } = await import('./commands/init-command.js');
      setExitCode(await runInitCommand({ ...program.opts<{ logLevel?: LogLevel }>(), ...options }, runtime));
    });

  program
    .command('manifest')
    .description('regenerate AGENTS.md (file tree, API skeleton, metrics) from a scan of the repository')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .option('--check', 'write nothing; exit 1 with a short difference summary when AGENTS.md is stale')
    .action(async (options: { repo?: string; check?: boolean }) => {
      const { runManifestCommand } = await import('./commands/manifest-command.js');
      setExitCode(await runManifestCommand({ ...program.opts<{ logLevel?: LogLevel }>(), ...options }, runtime));
    });

  const cache = program.command('cache').description('show or clear the persistent caches in .hephaestus/cache.sqlite (namespaces llm and scan)');
  cache
    .command('stats')
    .description('entries, hits, misses and bytes per cache namespace')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .option('--json', 'print one JSON object')
    .action(async (options: { repo?: string; json?: boolean }) => {
      const { runCacheStatsCommand } = await import('./commands/cache-command.js');
      setExitCode(await runCacheStatsCommand(options, runtime.io));
    });
  cache
    .command('clear')
    .description('delete the cached entries and reset the hit/miss counters')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .addOption(new Option('--namespace <name>', 'clear only this namespace').choices(['llm', 'scan']))
    .option('--json', 'print one JSON object')
    .action(async (options: { repo?: string; json?: boolean; namespace?: 'llm' | 'scan' }) => {
      const { runCacheClearCommand } = await import('./commands/cache-command.js');
      setExitCode(await runCacheClearCommand(options, runtime.io));
    });

  program
    .command('run')
    .description('run evolution cycles: plan, validate in a sandbox, commit only what passed')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .option('--config <file>', 'config file (default: <repo>/hephaestus.config.json)')
    .option('--cycles <n>', 'number of cycles (default 1)', positiveInteger('--cycles'))
    .option('--continuous', 'run cycles until interrupted, pausing run.continuousPauseMs between them')
    .option('--objective <text>', 'a one-off objective for the first cycle')
    .option('--offline', 'use the built-in offline engine instead of an LLM')
    .option('--candidates <n>', 'plans per cycle, validated concurrently; the first to pass is committed', positiveInteger('--candidates'))
    .option('--ci', 'non-interactive: JSON summary on stdout, JSON log lines on stderr')
    .option('--json', 'print one JSON summary at the end')
    .option('--jsonl', 'print one JSON event per line as it happens (run, cycle and phase start and end, the outcome)')
    .option('--dry-run', 'plan, pre-check and validate, print the diff and the verdict; commit nothing')
    .option('--max-commits <n>', 'stop after this many commits', positiveInteger('--max-commits'))
    .option('--max-minutes <n>', 'start no cycle after this many minutes', positiveInteger('--max-minutes'))
    .option('--pr', 'push the evolution branch and open or update a draft pull request with gh (prints how to open it without gh)')
    .option('--model <name>', 'main model (Architect, objectives) for this run; overrides llm.models.main and HEPHAESTUS_MODEL')
    .option('--light-model <name>', 'light model (Maestro, review, commit messages) for this run; overrides llm.models.light and HEPHAESTUS_LIGHT_MODEL')
    .option('--max-cost <usd>', 'stop the run (BUDGET_EXCEEDED) once it has spent this many US dollars; overrides llm.budget.costPerRun', positiveNumber('--max-cost'))
    .action(async (options: Record<string, unknown>) => {
      if (options.cycles !== undefined && options.continuous) throw new UsageError('--cycles and --continuous cannot be combined; pick one.');
      const { runRunCommand } = await import('./commands/run-command.js');
      setExitCode(await runRunCommand({ ...program.opts<{ logLevel?: LogLevel }>(), ...options }, runtime));
    });

  program
    .command('demo')
    .description('evolve a small sample project with the offline engine: no network, no API key')
    .option('--dir <dir>', 'where to create the sample project (a new or empty directory; default: a temporary one)')
    .option('--cycles <n>', 'number of cycles (default 3)', positiveInteger('--cycles'))
    .action(async (options: { dir?: string; cycles?: number }) => {
      const { runDemoCommand } = await import('./commands/demo-command.js');
      setExitCode(await runDemoCommand({ ...program.opts<{ logLevel?: LogLevel }>(), ...options }, runtime));
    });

  const objective = program.command('objective').description('manage the objective queue');
  objective
    .command('add')
    .description('queue an objective for the next cycle (user objectives come first, in order)')
    .argument('<text>', 'what to change, e.g. "Add input validation to src/parse.ts"')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .option('--file <path...>', 'files the objective concerns (must exist in the repository)')
    .action(async (text: string, options: { repo?: string; file?: string[] }) => {
      const { runObjectiveAddCommand } = await import('./commands/objective-command.js');
      setExitCode(await runObjectiveAddCommand(text, { ...options, ...(options.file ? { files: options.file } : {}) }, runtime.io));
    });
  objective
    .command('list')
    .description('the queued objectives with their ids, in the order they will be served')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .option('--json', 'print the objectives as a JSON array')
    .action(async (options: { repo?: string; json?: boolean }) => {
      const { runObjectiveListCommand } = await import('./commands/objective-command.js');
      setExitCode(await runObjectiveListCommand(options, runtime.io));
    });
  objective
    .command('remove')
    .description('remove one queued objective by its id (or a unique beginning of it)')
    .argument('<id>', 'the id "hephaestus objective list" shows')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .action(async (id: string, options: { repo?: string }) => {
      const { runObjectiveRemoveCommand } = await import('./commands/objective-command.js');
      setExitCode(await runObjectiveRemoveCommand(id, options, runtime.io));
    });
  objective
    .command('clear')
    .description('remove every queued objective')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .action(async (options: { repo?: string }) => {
      const { runObjectiveClearCommand } = await import('./commands/objective-command.js');
      setExitCode(await runObjectiveClearCommand(options, runtime.io));
    });

  program
    .command('status')
    .description('last cycles, success rate per strategy, the queue, cache statistics and budget used')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .option('--config <file>', 'config file (default: <repo>/hephaestus.config.json)')
    .option('--json', 'print one JSON object')
    .action(async (options: { repo?: string; config?: string; json?: boolean }) => {
      const { runStatusCommand } = await import('./commands/status-command.js');
      setExitCode(await runStatusCommand(options, runtime.io));
    });

  program
    .command('doctor')
    .description('check that everything a run needs works here, one line per check with its fix; exit 1 when one fails')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .option('--config <file>', 'config file (default: <repo>/hephaestus.config.json)')
    .option('--json', 'print one JSON object')
    .option('--no-commands', 'do not run the configured commands on the base commit')
    .action(async (options: { repo?: string; config?: string; json?: boolean; commands?: boolean }) => {
      const { runDoctorCommand } = await import('./commands/doctor-command.js');
      setExitCode(await runDoctorCommand(options, runtime));
    });

  program
    .command('eval')
    .description('run eval task files on real repositories: clone, set up, run cycles, then a hidden check at the branch tip')
    .argument('<tasks...>', 'task files, or directories of them (a corpus directory means its tasks/ folder)')
    .addOption(new Option('--provider <name>', "the model for every task (default: each task's own, replay unless it is an offline task)").choices(['replay', 'offline', 'openai', 'anthropic']))
    .option('--model <name>', 'model for every role (main and light) with openai or anthropic')
    .option('--jobs <n>', 'tasks run in parallel (default: cores / 2, at least 1)', positiveInteger('--jobs'))
    .option('--json', 'print one JSON object')
    .option('--out <dir>', 'keep every clone, state dir and request log under this directory')
    .action(async (tasks: string[], options: Record<string, unknown>) => {
      const { runEvalCommand } = await import('./commands/eval-command.js');
      setExitCode(await runEvalCommand(tasks, options, runtime));
    });

  program
    .command('log')
    .description('show the evolution log, one line per cycle')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .option('--json', 'print the records as a JSON array')
    .option('--csv', 'print CSV with one column per phase')
    .option('--limit <n>', 'only the last N cycles', positiveInteger('--limit'))
    .action(async (options: { repo?: string; json?: boolean; csv?: boolean; limit?: number }) => {
      const { runLogCommand } = await import('./commands/log-command.js');
      setExitCode(await runLogCommand(options, runtime.io));
    });

  program
    .command('report')
    .description('write the evolution history as one self-contained HTML page: outcomes, reasons, strategies, time per phase, tokens, cost and the commits with their diffs')
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .option('--config <file>', 'config file (default: <repo>/hephaestus.config.json)')
    .option('--out <file>', 'where to write the page (default: <repo>/.hephaestus/report.html)')
    .option('--since <date>', 'only cycles that started at or after this date (2026-12-01, or an ISO time)')
    .option('--runs <n>', 'only the last N runs', positiveInteger('--runs'))
    .option('--eval <dir...>', 'also table these "eval --out" directories, one column per model')
    .action(async (options: { repo?: string; config?: string; out?: string; since?: string; runs?: number; eval?: string[] }) => {
      const { runReportCommand } = await import('./commands/report-command.js');
      setExitCode(await runReportCommand(options, runtime));
    });

  program
    .command('undo')
    .description('revert the last N evolution commits with one new commit on the branch (never rewrites history)')
    .argument('[n]', 'how many evolution commits (default 1)', positiveInteger('N'), 1)
    .option('--repo <dir>', 'repository directory (default: current directory)')
    .option('--config <file>', 'config file (default: <repo>/hephaestus.config.json)')
    .action(async (count: number, options: { repo?: string; config?: string }) => {
      const { runUndoCommand } = await import('./commands/undo-command.js');
      setExitCode(await runUndoCommand(count, { ...program.opts<{ logLevel?: LogLevel }>(), ...options }, runtime));
    });

  const fleet = program.command('fleet').description('evolve many repositories across machines: a queue of runs in Redis, served by "hephaestus worker" processes');
  const redisOption = () => new Option('--redis <url>', 'Redis URL (default: HEPHAESTUS_REDIS_URL)');
  fleet
    .command('add')
    .description('add a repository (git URL or local path) and queue a run, or run it on a schedule')
    .requiredOption('--repo <url-or-path>', 'git URL (cloned by each worker) or local repository path (run in place)')
    .option('--cycles <n>', 'cycles per run (default 1)', positiveInteger('--cycles'))
    .option('--schedule <cron>', 'queue a run on this cron schedule (e.g. "0 3 * * *") instead of once now')
    .option('--config <file>', 'config file for the runs, carried to every worker (default: the repository\'s own)')
    .addOption(redisOption())
    .option('--json', 'print one JSON object')
    .action(async (options: { repo: string; cycles?: number; schedule?: string; config?: string; redis?: string; json?: boolean }) => {
      const { runFleetAddCommand } = await import('./commands/fleet-command.js');
      setExitCode(await runFleetAddCommand(options, runtime.io));
    });
  fleet
    .command('list')
    .description('the repositories of the fleet')
    .addOption(redisOption())
    .option('--json', 'print one JSON array')
    .action(async (options: { redis?: string; json?: boolean }) => {
      const { runFleetListCommand } = await import('./commands/fleet-command.js');
      setExitCode(await runFleetListCommand(options, runtime.io));
    });
  fleet
    .command('remove')
    .description('remove a repository: its schedule and queued runs go; a run in progress finishes')
    .argument('<id>', 'repository id (see fleet list)')
    .addOption(redisOption())
    .option('--json', 'print one JSON object')
    .action(async (id: string, options: { redis?: string; json?: boolean }) => {
      const { runFleetRemoveCommand } = await import('./commands/fleet-command.js');
      setExitCode(await runFleetRemoveCommand(id, options, runtime.io));
    });
  fleet
    .command('status')
    .description("each repository's jobs, the worker running it, its last run and last cycles, from any machine")
    .argument('[id]', 'only this repository')
    .option('--cycles <n>', 'last cycles shown per repository (default 5)', positiveInteger('--cycles'))
    .addOption(redisOption())
    .option('--json', 'print one JSON array')
    .action(async (id: string | undefined, options: { redis?: string; json?: boolean; cycles?: number }) => {
      const { runFleetStatusCommand } = await import('./commands/fleet-command.js');
      setExitCode(await runFleetStatusCommand(id, options, runtime.io));
    });

  program
    .command('worker')
    .description('run fleet jobs from Redis until SIGINT/SIGTERM (one run per repository across the fleet)')
    .option('--concurrency <n>', 'jobs at once, each on a different repository (default 1)', positiveInteger('--concurrency'))
    .option('--cache-dir <dir>', 'where this worker clones repositories (default: $XDG_CACHE_HOME/hephaestus/fleet)')
    .addOption(redisOption())
    .addOption(new Option('--lock-ms <ms>', 'job and repository lock time to live').argParser(positiveInteger('--lock-ms')).hideHelp())
    .action(async (options: { concurrency?: number; cacheDir?: string; redis?: string; lockMs?: number }) => {
      const { runWorkerCommand } = await import('./commands/worker-command.js');
      setExitCode(await runWorkerCommand({ ...program.opts<{ logLevel?: LogLevel }>(), ...options }, runtime));
    });

  program
    .command('completion')
    .description('print a shell completion script, e.g. source <(hephaestus completion bash)')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { completionScript } = await import('./shell-completion.js');
      runtime.io.out(completionScript(program, shell).trimEnd());
    });

  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function runCli(argv: readonly string[], runtime: CliRuntime): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(runtime, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, runtime, program.opts<{ logLevel?: LogLevel }>().logLevel);
  }
}

function reportError(error: unknown, runtime: CliRuntime, logLevel: LogLevel | undefined): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    return EXIT.usage; // commander already printed the message
  }
  const secrets = collectSecrets(process.env);
  const logFiles = [...runtime.loggers].map((handle) => handle.file).filter((file): file is string => file !== null);
  if (isHephaestusError(error)) {
    runtime.io.err(redactSecrets(`hephaestus: ${error.message}`, secrets));
    for (const handle of runtime.loggers) handle.fileLogger.error({ err: error, code: error.code }, 'command-failed');
    if (logLevel === 'debug' || logLevel === 'trace') runtime.io.err(redactSecrets(`${error.code}\n${error.stack ?? ''}${error.cause instanceof Error ? `\ncaused by: ${error.cause.stack ?? error.cause.message}` : ''}`, secrets));
    return exitCodeFor(error);
  }
  const message = error instanceof Error ? error.message : String(error);
  for (const handle of runtime.loggers) handle.fileLogger.error({ err: error }, 'unexpected-error');
  const detailed = logLevel === 'debug' || logLevel === 'trace';
  const where = detailed ? '' : logFiles.length > 0 ? ` Details are in ${logFiles[0]}; re-run with --log-level debug to see them here.` : ' Re-run with --log-level debug for details.';
  runtime.io.err(redactSecrets(`hephaestus: unexpected error: ${message}.${where}`, secrets));
  // With --log-level debug the details are here, as promised.
  if (detailed && error instanceof Error && error.stack) runtime.io.err(redactSecrets(error.stack, secrets));
  return exitCodeFor(error);
}

export function defaultRuntime(signal: AbortSignal): CliRuntime {
  const terminal = createTerminal(process.stderr);
  return { io: processIo, signal, loggers: new Set(), terminal, notice: (text) => terminal.line(text) };
}
