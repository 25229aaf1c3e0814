// The offline engine (DESIGN.md §7): a deterministic stand-in for the model in the objective and
// Architect roles. It reads the workspace (the sandbox at the cycle's base commit) with the
// TypeScript language service, proposes one fix as an objective that says exactly what it does,
// and answers the Architect with that fix as an ordinary patch plan, found again by the
// objective's text. It never invents work: with no fix left, the objective is null.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { precheckPlan } from '../patches/precheck-plan.js';
import { listRepositoryFiles } from '../scanner/list-files.js';
import { changeToPatches, diffPatch, type PatchReply } from './changes-to-patches.js';
import { AnalysisThread } from './analysis-thread.js';
import type { CodeFix } from './code-fix.js';
import { isEditableSource } from './open-language-service.js';

/** The objective reply (DESIGN.md §3); `objective: null` says there is nothing to do. */
export interface OfflineObjectiveReply {
  objective: string | null;
  rationale: string;
  files?: string[];
}

export interface OfflineEngineOptions {
  config: Config;
  logger: Logger;
}

/** Files that shape the language service's view besides the sources. */
const PROJECT_FILES = ['tsconfig.json', 'jsconfig.json', 'package.json'];

/** The Architect reply (DESIGN.md §3). */
export interface PlanReply {
  analysis: string;
  patches: PatchReply[];
}

interface Analysis {
  workspace: string;
  /** How many TS/JS files the workspace has. */
  sources: number;
  fingerprint: string;
  fixes: Promise<CodeFix[]>;
  /** Checked plans by objective; null when the fix does not pass the pre-check. */
  plans: Map<string, Promise<PlanReply | null>>;
}

export class OfflineEngine {
  /** The last analysis: the objective and the Architect calls of one cycle share it. */
  private analysis: Analysis | null = null;
  private readonly thread = new AnalysisThread();

  constructor(private readonly options: OfflineEngineOptions) {}

  async proposeObjective(workspace: string, skip: readonly string[], signal: AbortSignal): Promise<OfflineObjectiveReply> {
    const analysis = await this.analyse(workspace, signal);
    const fixes = await analysis.fixes;
    const skipped = new Set(skip.map((text) => text.trim()));
    for (const fix of fixes) {
      if (skipped.has(fix.objective)) continue;
      if ((await this.planOf(analysis, fix, signal)) === null) continue;
      return { objective: fix.objective, rationale: fix.rationale, files: [fix.file] };
    }
    if (analysis.sources === 0) {
      return {
        objective: null,
        rationale:
          'the offline engine does not apply to this repository: it fixes what the TypeScript language service finds in TypeScript/JavaScript files, and there are none; set OPENAI_API_KEY or ANTHROPIC_API_KEY (or llm.baseUrl) to use a model',
      };
    }
    const failed = fixes.filter((fix) => skipped.has(fix.objective)).length;
    return {
      objective: null,
      rationale:
        fixes.length === 0
          ? 'the TypeScript language service reports nothing the offline engine can fix'
          : `every fix the offline engine found (${fixes.length}) failed before or is refused by the pre-check${failed > 0 ? ` (${failed} failed before)` : ''}`,
    };
  }

  /** Ends the analysis worker; an analysis still running fails with an AbortedError. */
  async close(): Promise<void> {
    await this.thread.close();
  }

  /** The plan for `objective`, one of the engine's own proposals; an empty plan for any other text. */
  async planFor(objective: string, workspace: string, signal: AbortSignal): Promise<PlanReply> {
    const analysis = await this.analyse(workspace, signal);
    const wanted = objective.trim();
    const fix = (await analysis.fixes).find((candidate) => candidate.objective === wanted);
    const plan = fix ? await this.planOf(analysis, fix, signal) : null;
    if (plan) return plan;
    return {
      analysis: fix
        ? `The offline engine's fix for this objective no longer passes the pre-check on ${fix.file}; nothing to change.`
        : 'The offline engine only carries out the objectives it proposes itself (TypeScript language-service fixes); this objective is not one of them, so it proposes no change. Configure an LLM provider for other objectives.',
      patches: [],
    };
  }

  private async analyse(workspace: string, signal: AbortSignal): Promise<Analysis> {
    const root = path.resolve(workspace);
    const listed = await listRepositoryFiles(root, { exclude: this.options.config.scanner.exclude, signal });
    const sources = listed.filter(isEditableSource);
    const fingerprint = await fingerprintOf(root, [...sources, ...listed.filter((file) => PROJECT_FILES.includes(file))]);
    if (this.analysis?.workspace === root && this.analysis.fingerprint === fingerprint) return this.analysis;

    // Seconds of synchronous work: in a worker thread, so the display and Ctrl-C stay responsive.
    // Without TS/JS files there is nothing to analyse, and TypeScript is not even loaded.
    this.options.logger.debug({ files: sources.length }, 'offline-analysis-start');
    const fixes =
      sources.length === 0
        ? Promise.resolve([])
        : this.thread.analyse(root, sources, signal).then((result) => {
            this.options.logger.debug({ files: result.files, fixes: result.fixes.length, durationMs: result.durationMs }, 'offline-analysis');
            return result.fixes;
          });
    this.analysis = { workspace: root, sources: sources.length, fingerprint, fixes, plans: new Map() };
    // A failed analysis is not kept: the next call tries again.
    fixes.catch(() => {
      if (this.analysis?.fixes === fixes) this.analysis = null;
    });
    return this.analysis;
  }

  private planOf(analysis: Analysis, fix: CodeFix, signal: AbortSignal): Promise<PlanReply | null> {
    let plan = analysis.plans.get(fix.objective);
    if (!plan) {
      plan = this.checkedPlan(analysis.workspace, fix, signal);
      analysis.plans.set(fix.objective, plan);
    }
    return plan;
  }

  /** Block patches when they reproduce the fix exactly through the real pre-check, else one DIFF. */
  private async checkedPlan(workspace: string, fix: CodeFix, signal: AbortSignal): Promise<PlanReply | null> {
    const analysis = `${fix.objective}. ${fix.rationale} (offline engine: a TypeScript language-service fix)`;
    for (const patches of [changeToPatches(fix.file, fix.before, fix.after), [diffPatch(fix.file, fix.before, fix.after)]]) {
      const plan: PlanReply = { analysis, patches };
      const checked = await precheckPlan(plan, { repoRoot: workspace, config: this.options.config, signal });
      if (checked.ok && checked.changes.size === 1 && checked.changes.get(fix.file) === fix.after) return plan;
      this.options.logger.debug({ objective: fix.objective, codes: checked.ok ? ['DIFFERENT_RESULT'] : checked.problems.map((problem) => problem.code) }, 'offline-fix-refused');
    }
    return null;
  }
}

async function fingerprintOf(root: string, files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) {
    const content = await readFile(path.join(root, file)).catch(() => null);
    hash.update(file).update('\0').update(content ?? '<missing>').update('\0');
  }
  return hash.digest('hex');
}
