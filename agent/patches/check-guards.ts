// Guards a plan must pass before anything is applied (paths jailed to the repository,
// protected globs, existing tests, number of files) and after (number of changed lines).
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Config } from '../config/schema.js';
import type { TestFileMatcher } from '../scanner/test-files.js';
import type { PlanStats } from './apply-patch-plan.js';
import type { PatchPlan } from './plan-schema.js';
import type { PlanProblem } from './plan-problem.js';
import { normalizeRepositoryPath, reservedSegment } from './repository-path.js';
import { throwIfAborted } from './throw-if-aborted.js';

export type GuardsConfig = Config['guards'];

export interface CheckGuardsOptions {
  repoRoot: string;
  guards: GuardsConfig;
  isTestFile: TestFileMatcher;
  signal?: AbortSignal;
}

/** The agent's own configuration names the commands it runs, so a plan may never change it. */
export const ALWAYS_PROTECTED = ['hephaestus.config.json'];

export async function checkGuards(plan: PatchPlan, options: CheckGuardsOptions): Promise<PlanProblem[]> {
  const problems: PlanProblem[] = [];
  const repoRealRoot = await realpath(options.repoRoot);
  const isProtected = picomatch([...ALWAYS_PROTECTED, ...options.guards.protectedPaths], { dot: true });
  const verdicts = new Map<string, Promise<FileVerdict>>();
  const files = new Set<string>();

  for (const [patchIndex, patch] of plan.patches.entries()) {
    throwIfAborted(options.signal);
    const normalized = normalizeRepositoryPath(patch.file_path);
    if (!normalized.ok) {
      problems.push({ code: 'PATH_REJECTED', file: patch.file_path, patchIndex, message: `path "${patch.file_path}" ${normalized.reason}`, hint: 'Name files by their path relative to the repository root, as in the file tree.' });
      continue;
    }
    const file = normalized.path;
    files.add(file);
    let verdict = verdicts.get(file);
    if (!verdict) {
      verdict = inspectRealPath(options.repoRoot, repoRealRoot, file);
      verdicts.set(file, verdict);
    }
    const { escape, exists } = await verdict;
    if (escape !== undefined) {
      problems.push({ code: 'PATH_REJECTED', file, patchIndex, message: `path "${file}" ${escape}`, hint: 'Only files inside the repository can be changed, never through symbolic links.' });
    } else if (isProtected(file)) {
      problems.push({ code: 'PROTECTED_PATH', file, patchIndex, message: `${file} is protected by the configuration (guards.protectedPaths) and cannot be changed by the agent`, hint: 'Reach the objective without changing this file.' });
    } else if (exists && !options.guards.allowTestEdits && options.isTestFile(file)) {
      problems.push({ code: 'TEST_EDIT_REJECTED', file, patchIndex, message: `${file} is an existing test file; tests may not be modified or deleted (guards.allowTestEdits is false)`, hint: 'Change the code under test, or add a new test file instead.' });
    }
  }
  if (files.size > options.guards.maxFiles) {
    problems.push({ code: 'PATCH_TOO_LARGE', message: `the plan changes ${files.size} files; at most ${options.guards.maxFiles} are allowed (guards.maxFiles)`, hint: 'Split the change into smaller objectives.' });
  }
  return problems;
}

/** Run after applying: the size of the change in lines. */
export function checkChangeSize(stats: PlanStats, guards: GuardsConfig): PlanProblem[] {
  if (stats.changedLines <= guards.maxChangedLines) return [];
  return [{ code: 'PATCH_TOO_LARGE', message: `the plan changes ${stats.changedLines} lines; at most ${guards.maxChangedLines} are allowed (guards.maxChangedLines)`, hint: 'Split the change into smaller objectives.' }];
}

interface FileVerdict {
  /** Why the path escapes the repository, if it does. */
  escape?: string;
  exists: boolean;
}

/**
 * Walks the path from the root with lstat: a symbolic link as the file itself is refused, and
 * the deepest existing ancestor must resolve, through any links, to a place inside the
 * repository that is not .git/ or .hephaestus/.
 */
async function inspectRealPath(repoRoot: string, repoRealRoot: string, file: string): Promise<FileVerdict> {
  const segments = file.split('/');
  let deepest = repoRoot;
  for (const [index, segment] of segments.entries()) {
    const candidate = path.join(deepest, segment);
    let stats;
    try {
      stats = await lstat(candidate);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') break;
      return { escape: `cannot be inspected (${code ?? String(error)})`, exists: false };
    }
    if (stats.isSymbolicLink() && index === segments.length - 1) {
      return { escape: 'is a symbolic link; change the file it points to instead', exists: true };
    }
    deepest = candidate;
    if (index === segments.length - 1) return { ...(await escapeOf(deepest, repoRealRoot)), exists: true };
  }
  return { ...(await escapeOf(deepest, repoRealRoot)), exists: false };
}

async function escapeOf(existing: string, repoRealRoot: string): Promise<{ escape?: string }> {
  let real: string;
  try {
    real = await realpath(existing);
  } catch {
    return { escape: 'goes through a broken symbolic link' };
  }
  const relative = path.relative(repoRealRoot, real);
  if (relative === '') return {};
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return { escape: 'resolves outside the repository through a symbolic link' };
  }
  const reserved = reservedSegment(relative.split(path.sep));
  if (reserved) return { escape: `resolves into ${reserved}/ through a symbolic link` };
  return {};
}
