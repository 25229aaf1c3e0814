// A task's working repository: the bundle cloned into a fresh directory, its current branch
// moved to the task's base commit, then the setup commands and either `init` or the task's
// own config. Nothing here reads the user's repository.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE_NAME } from '../config/load-config.js';
import { locateRepository, runGit } from '../git/git-environment.js';
import { initRepository } from '../init/init-repository.js';
import { ensureStateDir, excludeFromGit } from '../state/state-dir.js';
import type { TaskInit } from './task-result.js';
import type { EvalTask } from './task-schema.js';
import { runTaskCommands, type TaskCommandsResult } from './run-task-commands.js';

export interface ClonedTask {
  root: string;
  /** The full hash of the task's base commit. */
  base: string;
}

export async function cloneTask(task: EvalTask, directory: string, signal: AbortSignal): Promise<ClonedTask> {
  await runGit(path.dirname(directory), ['clone', '--quiet', task.bundle, directory], { signal });
  const base = (await runGit(directory, ['rev-parse', '--verify', `${task.base}^{commit}`], { signal })).stdout.trim();
  // The checked-out branch (or a detached HEAD) now points at base, as a user's checkout would.
  await runGit(directory, ['reset', '--quiet', '--hard', base], { signal });
  return { root: directory, base };
}

export async function runSetup(task: EvalTask, root: string, timeoutMs: number, signal: AbortSignal): Promise<TaskCommandsResult> {
  return runTaskCommands(task.setup, { cwd: root, timeoutMs, signal });
}

/** `hephaestus init` for a task without a config; the task's config written as the file otherwise. */
/** What `init` checked on the base (each command it tried and its verdict); null when the task brings its config. */
export async function configureTask(task: EvalTask, root: string): Promise<TaskInit | null> {
  const repository = await locateRepository(root);
  if (task.config === null) {
    const report = await initRepository(repository);
    return {
      detected: { language: report.detection.language, testFramework: report.detection.testFramework, typescript: report.detection.typescript, linter: report.detection.linter },
      commands: (report.verification?.checks ?? []).map((check) => ({
        step: check.proposal.step,
        command: check.proposal.command,
        source: check.proposal.source,
        verdict: check.verdict,
        enabled: report.verification?.chosen[check.proposal.step] === check.proposal,
        durationMs: Math.round(check.durationMs),
        detail: check.detail,
      })),
    };
  }
  await writeFile(path.join(root, CONFIG_FILE_NAME), `${JSON.stringify(task.config, null, 2)}\n`);
  await excludeFromGit(repository);
  await ensureStateDir(repository);
  return null;
}
