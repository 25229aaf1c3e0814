// Guards a plan must pass before anything is applied (paths jailed to the repository, no
// option-shaped names, protected globs, the judge's files, existing tests, number of files,
// bytes of content) and after (changed lines, bytes per file, judge keys of shared manifests).
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Config } from '../config/schema.js';
import type { TestFileMatcher } from '../scanner/test-files.js';
import type { PlanStats } from './apply-patch-plan.js';
import { createJudgeFileMatcher, findJudgeEdits, type JudgeEdit } from './judge-files.js';
import type { PatchPlan } from './plan-schema.js';
import type { PlanProblem } from './plan-problem.js';
import { normalizeRepositoryPath, reservedSegment } from './repository-path.js';
import { throwIfAborted } from '../core/abort.js';

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
  const isJudgeFile = createJudgeFileMatcher({ extra: options.guards.judgeFiles });
  const verdicts = new Map<string, Promise<FileVerdict>>();
  const files = new Set<string>();

  for (const [patchIndex, patch] of plan.patches.entries()) {
    throwIfAborted(options.signal, 'patch plan check aborted');
    const normalized = normalizeRepositoryPath(patch.file_path);
    if (!normalized.ok) {
      problems.push({ code: 'PATH_REJECTED', file: patch.file_path, patchIndex, message: `path "${patch.file_path}" ${normalized.reason}`, hint: 'Name files by their path relative to the repository root, as in the file tree.' });
      continue;
    }
    const file = normalized.path;
    if (file.startsWith('-')) {
      problems.push({ code: 'PATH_REJECTED', file, patchIndex, message: `path "${file}" starts with "-", so a command would read it as an option`, hint: 'Name files with a letter, digit, dot or underscore first.' });
      continue;
    }
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
    } else if (!options.guards.allowJudgeEdits && isJudgeFile(file)) {
      problems.push(judgeProblem({ file }, patchIndex));
    } else if (exists && !options.guards.allowTestEdits && options.isTestFile(file)) {
      problems.push({ code: 'TEST_EDIT_REJECTED', file, patchIndex, message: `${file} is an existing test file; tests may not be modified or deleted (guards.allowTestEdits is false)`, hint: 'Change the code under test, or add a new test file instead.' });
    }
  }
  const planBytes = plan.patches.reduce((total, patch) => total + patchBytes(patch), 0);
  if (planBytes > options.guards.maxPlanBytes) {
    problems.push({ code: 'PATCH_TOO_LARGE', message: `the plan carries ${planBytes} bytes of content; at most ${options.guards.maxPlanBytes} are allowed (guards.maxPlanBytes)`, hint: 'Split the change into smaller objectives; generated or data files do not belong in a plan.' });
  }
  if (files.size > options.guards.maxFiles) {
    problems.push({ code: 'PATCH_TOO_LARGE', message: `the plan changes ${files.size} files; at most ${options.guards.maxFiles} are allowed (guards.maxFiles)`, hint: 'Split the change into smaller objectives.' });
  }
  return problems;
}

/** Run after applying: the size of the change in lines, and of every changed file in bytes. */
export function checkChangeSize(stats: PlanStats, changes: ReadonlyMap<string, string | null>, guards: GuardsConfig): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const [file, content] of changes) {
    const bytes = content === null ? 0 : Buffer.byteLength(content);
    if (bytes > guards.maxFileBytes) {
      problems.push({ code: 'PATCH_TOO_LARGE', file, message: `${file} would be ${bytes} bytes; at most ${guards.maxFileBytes} are allowed per file (guards.maxFileBytes)`, hint: 'Keep files small; generated or data files do not belong in a plan.' });
    }
  }
  if (stats.changedLines > guards.maxChangedLines) {
    problems.push({ code: 'PATCH_TOO_LARGE', message: `the plan changes ${stats.changedLines} lines; at most ${guards.maxChangedLines} are allowed (guards.maxChangedLines)`, hint: 'Split the change into smaller objectives.' });
  }
  return problems;
}

/** Run after applying: judge keys and sections of package.json, pyproject.toml and setup.cfg. */
export async function checkJudgeEdits(changes: ReadonlyMap<string, string | null>, readBase: (file: string) => Promise<string | null>, guards: GuardsConfig): Promise<PlanProblem[]> {
  if (guards.allowJudgeEdits) return [];
  const bases = new Map<string, string | null>();
  for (const file of changes.keys()) bases.set(file, await readBase(file));
  return findJudgeEdits(changes, (file) => bases.get(file) ?? null, createJudgeFileMatcher({ extra: guards.judgeFiles })).map((edit) => judgeProblem(edit));
}

function judgeProblem(edit: JudgeEdit, patchIndex?: number): PlanProblem {
  const what = edit.key ? `${edit.file} (${edit.key})` : edit.file;
  return {
    code: 'JUDGE_EDIT_REJECTED',
    file: edit.file,
    ...(patchIndex === undefined ? {} : { patchIndex }),
    message: `${what} decides how the change is validated; the judge's files stay as on the base (guards.allowJudgeEdits is false)`,
    hint: 'Change the code, not the test, typecheck or lint configuration; dependency changes in package.json are fine.',
  };
}

function patchBytes(patch: PatchPlan['patches'][number]): number {
  const text = (value: unknown): number => (typeof value === 'string' ? Buffer.byteLength(value) : Array.isArray(value) ? value.reduce((sum: number, line) => sum + Buffer.byteLength(String(line)) + 1, 0) : 0);
  const fields = patch as Record<string, unknown>;
  return text(fields.content) + text(fields.diff);
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
