// The pre-check (DESIGN.md §1.4): fail fast, in memory, before any sandbox exists.
// Schema → guards → apply to an overlay → size → syntax of every touched file.
import { sandboxSchema, type Config } from '../config/schema.js';
import { createTestFileMatcher, type TestFileMatcher } from '../scanner/test-files.js';
import { configuredJail } from '../../strategies/steps/step-jail.js';
import { checkSyntax } from '../../strategies/syntax/check-syntax.js';
import type { SyntaxChecker } from '../../strategies/syntax/syntax-checker.js';
import { applyPatchPlan, type PlanStats } from './apply-patch-plan.js';
import { checkChangeSize, checkGuards, checkJudgeEdits } from './check-guards.js';
import { createOverlay, type Overlay } from './overlay.js';
import { parsePatchPlan, type PatchPlan } from './plan-schema.js';
import { excerpt } from './locate-block.js';
import type { PlanProblem } from './plan-problem.js';

export interface PrecheckOptions {
  repoRoot: string;
  /** `sandbox` sets the jail of syntax commands; without it they run in the default jail. */
  config: Pick<Config, 'guards' | 'validation'> & Partial<Pick<Config, 'sandbox'>>;
  signal?: AbortSignal;
  /** Defaults to the configured test globs plus conventions. */
  isTestFile?: TestFileMatcher;
  /** Defaults to a fresh overlay of `repoRoot`; pass one to check on top of other changes. */
  overlay?: Overlay;
  /** Defaults to the built-in checkers plus validation.syntax.commands. */
  syntaxCheckers?: ReadonlyMap<string, SyntaxChecker>;
}

export type PrecheckResult =
  | { ok: true; plan: PatchPlan; changes: Map<string, string | null>; stats: PlanStats }
  | { ok: false; problems: PlanProblem[] };

const DEFAULT_SANDBOX = sandboxSchema.parse({});

/** Syntax problems beyond this many per file are usually echoes of the first. */
const SYNTAX_PROBLEMS_PER_FILE = 3;

export async function precheckPlan(candidate: unknown, options: PrecheckOptions): Promise<PrecheckResult> {
  const parsed = parsePatchPlan(candidate);
  if (!parsed.ok) return parsed;
  const { plan } = parsed;
  const { guards, validation } = options.config;

  const guardProblems = await checkGuards(plan, {
    repoRoot: options.repoRoot,
    guards,
    isTestFile: options.isTestFile ?? createTestFileMatcher(validation.tests.files),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (guardProblems.length > 0) return { ok: false, problems: guardProblems };

  const overlay = options.overlay ?? createOverlay(options.repoRoot);
  const applied = await applyPatchPlan(plan, overlay, options.signal ? { signal: options.signal } : {});
  if (!applied.ok) return applied;
  const sizeProblems = checkChangeSize(applied.stats, applied.changes, guards);
  if (sizeProblems.length > 0) return { ok: false, problems: sizeProblems };

  const touched = [...applied.changes].flatMap(([path, content]) => (content === null ? [] : [{ path, content }]));
  const syntaxProblems = await checkSyntax(touched, {
    commands: validation.syntax.commands,
    timeoutMs: validation.syntax.timeoutMs,
    jail: configuredJail({ sandbox: options.config.sandbox ?? DEFAULT_SANDBOX }, [options.repoRoot]),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.syntaxCheckers ? { registry: options.syntaxCheckers } : {}),
  });
  if (syntaxProblems.length === 0) {
    // Keys of shared manifests (package.json scripts…) can only be compared once they parse.
    const judgeProblems = await checkJudgeEdits(applied.changes, async (file) => {
      const base = await overlay.readBase(file);
      return base.kind === 'text' ? base.content : null;
    }, guards);
    if (judgeProblems.length > 0) return { ok: false, problems: judgeProblems };
    return { ok: true, plan, changes: applied.changes, stats: applied.stats };
  }

  const contents = new Map(touched.map((file) => [file.path, file.content]));
  const perFile = new Map<string, number>();
  const problems: PlanProblem[] = [];
  for (const syntax of syntaxProblems) {
    const count = (perFile.get(syntax.file) ?? 0) + 1;
    perFile.set(syntax.file, count);
    if (count > SYNTAX_PROBLEMS_PER_FILE) continue;
    const where = syntax.line === undefined ? '' : ` line ${syntax.line}${syntax.column === undefined ? '' : `, column ${syntax.column}`}`;
    const source = syntax.line === undefined ? undefined : sourceLine(contents.get(syntax.file), syntax.line);
    problems.push({
      code: 'SYNTAX_ERROR',
      file: syntax.file,
      ...(syntax.line === undefined ? {} : { line: syntax.line }),
      message: `syntax error in ${syntax.file}${where}: ${syntax.message}${source ? `\n${source}` : ''}`,
      hint: 'The file as patched does not parse; check brackets, quotes and commas around that line.',
    });
  }
  return { ok: false, problems };
}

function sourceLine(content: string | undefined, line: number): string | undefined {
  if (content === undefined) return undefined;
  const lines = content.split(/\r?\n/);
  // A blank line (often the end of the file) shows nothing useful.
  return lines[line - 1]?.trim() ? excerpt(lines, line, line).text : undefined;
}
