// After the run: the evolution branch's tip checked out in the task's clone, the hidden check
// files written and the check commands run, then the check files removed and the repository's
// own full test suite run there. The model never sees the check files: they exist only after
// its last cycle. Both run model-written code, so both run in the jail (sandbox.* config): the
// clone is the one writable place, its .git and the agent's state are hidden, and the check
// runs first, on a pristine tip, so nothing the suite's code leaves behind can sway it.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { runGit } from '../git/git-environment.js';
import { stateDirOf } from '../state/state-dir.js';
import { hasPlaceholder, parseCommand, substitutePlaceholders, FILES_PLACEHOLDER } from '../../strategies/commands/parse-command.js';
import { createTestFileMatcher } from '../scanner/test-files.js';
import type { JailSettings } from '../../strategies/commands/jail-settings.js';
import { configuredJail } from '../../strategies/steps/step-jail.js';
import type { EvalTask } from './task-schema.js';
import { runTaskCommands, type TaskCommandResult, type TaskCommandsResult } from './run-task-commands.js';
import { EvalTaskError } from './load-task.js';

const CHECK_TIMEOUT_MS = 10 * 60_000;

export interface BranchTip {
  branch: string;
  /** The branch's tip; null when the run never created the branch. */
  tip: string | null;
  /** Commits on the branch that are not in base. */
  commits: number;
}

export async function readBranchTip(root: string, branch: string, base: string, signal: AbortSignal): Promise<BranchTip> {
  const found = await runGit(root, ['rev-parse', '--verify', '-q', `refs/heads/${branch}^{commit}`], { allowFailure: true, signal });
  if (found.exitCode !== 0) return { branch, tip: null, commits: 0 };
  const tip = found.stdout.trim();
  const count = await runGit(root, ['rev-list', '--count', `${base}..${tip}`], { signal });
  return { branch, tip, commits: Number(count.stdout.trim()) };
}

export interface SuiteResult {
  passed: boolean;
  command: TaskCommandResult;
}

export interface TipCheck {
  /** The repository's own tests (validation.tests) at the tip; null when none are configured. */
  suite: SuiteResult | null;
  check: TaskCommandsResult;
  durationsMs: { suite: number; check: number };
}

export async function checkTip(task: EvalTask, root: string, commit: string, config: Config, signal: AbortSignal): Promise<TipCheck> {
  // The run is over: its sandbox worktrees (copies of the tree inside the clone) would be picked
  // up by test runners that search the whole directory (vitest filters, pytest discovery).
  await rm(path.join(stateDirOf(root), 'worktrees'), { recursive: true, force: true });
  await runGit(root, ['worktree', 'prune'], { signal });
  await runGit(root, ['checkout', '--quiet', '--force', '--detach', commit], { signal });
  const jail = tipJail(config, root);

  const checkStarted = performance.now();
  const written: string[] = [];
  for (const [file, content] of Object.entries(task.checkFiles)) {
    const target = path.resolve(root, file);
    if (path.isAbsolute(file) || !target.startsWith(`${root}${path.sep}`) || file.split(/[\\/]/).includes('.git')) {
      throw new EvalTaskError(task.file, [`checkFiles["${file}"]: expected a relative path inside the repository, outside .git/`]);
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    written.push(target);
  }
  const check = await runTaskCommands(task.check, { cwd: root, timeoutMs: CHECK_TIMEOUT_MS, signal, jail });
  const checkMs = performance.now() - checkStarted;

  // The suite is the tip's own: without the check files, its tracked files as committed.
  await Promise.all(written.map((file) => rm(file, { force: true })));
  await runGit(root, ['checkout', '--quiet', '--force', '--detach', commit], { signal });
  const suiteStarted = performance.now();
  const suite = await runFullSuite(root, config, jail, signal);
  return { suite, check, durationsMs: { suite: performance.now() - suiteStarted, check: checkMs } };
}

/** The jail of the commands at the tip: the clone writable, its .git and the agent's state invisible. */
export function tipJail(config: Pick<Config, 'sandbox'>, root: string): JailSettings {
  return { ...configuredJail(config, [path.join(root, '.git'), stateDirOf(root)]), writablePaths: [root] };
}

/** The configured test command over every tracked test file of the tip, in one process. */
async function runFullSuite(root: string, config: Config, jail: JailSettings, signal: AbortSignal): Promise<SuiteResult | null> {
  const tests = config.validation.tests;
  if (tests.command === null) return null;
  let argv = parseCommand(tests.command);
  if (hasPlaceholder(argv, FILES_PLACEHOLDER)) {
    // Tracked files only: the tip's own tests, not what setup left untracked (a .venv's packages).
    const isTestFile = createTestFileMatcher(tests.files);
    const tracked = (await runGit(root, ['ls-files', '-z'], { signal })).stdout.split('\0');
    const files = tracked.filter((file) => file !== '' && isTestFile(file)).sort();
    argv = substitutePlaceholders(argv, { files });
  }
  const result = await runTaskCommands([argv], { cwd: root, timeoutMs: tests.timeoutMs, signal, jail });
  return { passed: result.passed, command: result.results[0]! };
}
