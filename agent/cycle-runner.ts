// The cycle runner (DESIGN.md §1): objective → manifest → Architect → pre-check → Maestro →
// strategy in a sandbox → promote + commit → record, once per cycle. Every phase is timed and
// announced through events; a rejected plan is an outcome, not an error.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Keyv from 'keyv';
import type { Logger } from 'pino';
import { runArchitect } from './architect.js';
import type { Config } from './config/schema.js';
import { correctionObjective } from './cycle/correction-objective.js';
import type { CycleEventListener } from './cycle/cycle-events.js';
import { planHash } from './cycle/plan-hash.js';
import { validateCandidates, type Candidate } from './cycle/validate-candidates.js';
import { AbortedError, isHephaestusError } from './errors.js';
import { writeCommitMessage } from './git/commit-message.js';
import type { GitAuthor } from './git/git-environment.js';
import { promoteCommit, resolveBranchBase } from './git/promote-commit.js';
import { BranchMovedError } from './git/promotion-errors.js';
import { createUsageMeter } from './llm/usage-meter.js';
import type { LlmClient, UsageMeter } from './llm/types.js';
import { selectStrategy, type StrategyChoice } from './maestro.js';
import { renderManifest } from './manifest/render-manifest.js';
import type { AgentMemory } from './memory/agent-memory.js';
import { appendCycleRecord, PHASES, type CycleRecord, type Phase } from './objectives/evolution-log.js';
import { generateObjective } from './objectives/generate-objective.js';
import { addObjective, readQueue, takeNextObjective, type QueuedObjective } from './objectives/objective-queue.js';
import { affectedTests } from './scanner/import-graph.js';
import { scanRepository } from './scanner/scan-repository.js';
import type { ScanResult } from './scanner/scan-types.js';
import { summarizeMetrics } from './scanner/summarize-metrics.js';
import { createTestFileMatcher } from './scanner/test-files.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { SandboxPool } from '../sandbox/sandbox-pool.js';
import { runSanityStep } from '../strategies/run-sanity-step.js';

export interface RunCyclesOptions {
  /** Number of cycles; null runs until stopped (continuous). */
  cycles: number | null;
  /** A one-off objective for the first cycle. */
  objective?: string;
  /** Architect plans per cycle, validated concurrently (default 1). */
  candidates?: number;
  /** Stop after this many commits. */
  maxCommits?: number;
  /** Stop starting cycles after this many minutes. */
  maxMinutes?: number;
  /** Called after each recorded cycle; a returned reason stops the run (e.g. `run --ci`'s per-run change limits). */
  afterCycle?: (record: CycleRecord) => Promise<string | null>;
}

export interface RunContext {
  repoRoot: string;
  stateDir: string;
  config: Config;
  llm: LlmClient;
  memory: AgentMemory;
  pool: SandboxPool;
  logger: Logger;
  signal: AbortSignal;
  runId: string;
  scanCache?: Keyv;
  onEvent?: CycleEventListener;
  now?: () => Date;
}

export interface RunSummary {
  runId: string;
  cycles: CycleRecord[];
  committed: number;
  branch: string;
  /** Why the run stopped before its cycle count, if it did. */
  stopReason: string | null;
}

type Outcome = CycleRecord['outcome'];

interface CycleObjective {
  text: string;
  files: string[];
  detail: string | null;
  source: QueuedObjective['source'] | 'one-off' | 'llm' | 'heuristic';
}

/** Raised inside a cycle to end it with an outcome; never escapes runCycle. */
class CycleEnd extends Error {
  constructor(
    readonly outcome: Outcome,
    readonly reason: string | null,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export async function runCycles(options: RunCyclesOptions, context: RunContext): Promise<RunSummary> {
  const now = context.now ?? (() => new Date());
  const startedAt = Date.now();
  const records: CycleRecord[] = [];
  let committed = 0;
  let stopReason: string | null = null;
  let prefetched: Prefetch | null = null;
  const decisions = new Map<string, StrategyChoice>();

  for (let n = 1; options.cycles === null || n <= options.cycles; n++) {
    if (context.signal.aborted) break;
    if (options.maxMinutes !== undefined && Date.now() - startedAt >= options.maxMinutes * 60_000) {
      stopReason = `--max-minutes ${options.maxMinutes} reached`;
      break;
    }
    const more = options.cycles === null || n < options.cycles;
    const cycle: CycleRun = new CycleRun(n, context, now, decisions, {
      oneOff: n === 1 ? (options.objective ?? null) : null,
      candidates: Math.max(1, options.candidates ?? 1),
      prefetched,
      // Generate the next objective while this cycle validates (only if there will be one). Not
      // offline: the engine reads the tree at the base commit, which this cycle is about to change.
      prefetchNext: more && context.llm.provider !== 'offline' ? (scan, manifest, meter) => generated(scan, manifest, meter, context) : null,
    });
    const record = await cycle.run();
    prefetched = cycle.nextPrefetch;
    records.push(record);
    await appendCycleRecord(context.stateDir, record);
    context.memory.save();
    context.onEvent?.({ type: 'cycle-end', n, record });
    if (record.outcome === 'committed') committed += 1;
    if (record.reason === 'BUDGET_EXCEEDED') {
      stopReason = 'LLM budget exhausted';
      break;
    }
    if (record.reason === 'ABORTED' || context.signal.aborted) {
      stopReason = 'interrupted';
      break;
    }
    if (options.maxCommits !== undefined && committed >= options.maxCommits) {
      stopReason = `--max-commits ${options.maxCommits} reached`;
      break;
    }
    const stop = (await options.afterCycle?.(record)) ?? null;
    if (stop !== null) {
      stopReason = stop;
      break;
    }
    if (options.cycles === null && !context.signal.aborted) {
      await pause(context.config.run.continuousPauseMs, context.signal);
    }
  }
  await prefetched?.objective.catch(() => null);
  return { runId: context.runId, cycles: records, committed, branch: context.config.git.branch, stopReason };
}

/** `workspace`: the sandbox at the base commit, read by the offline engine. */
async function generated(scan: ScanResult, manifest: string, meter: UsageMeter, context: RunContext, workspace?: string): Promise<CycleObjective | null> {
  const objective = await generateObjective(
    { metrics: summarizeMetrics(scan), manifest, memory: context.memory },
    { config: context.config, repoRoot: context.repoRoot, ...(workspace ? { workspace } : {}), llm: context.llm, logger: context.logger, signal: context.signal, meter },
  );
  return objective ? { text: objective.text, files: objective.files, detail: objective.rationale, source: objective.source } : null;
}

/** An objective generated during the previous cycle's validation, with the usage it cost. */
interface Prefetch {
  objective: Promise<CycleObjective | null>;
  meter: UsageMeter;
}

interface CycleSettings {
  oneOff: string | null;
  candidates: number;
  prefetched: Prefetch | null;
  prefetchNext: ((scan: ScanResult, manifest: string, meter: UsageMeter) => Promise<CycleObjective | null>) | null;
}

/** One cycle, phase by phase. */
class CycleRun {
  readonly durations: Record<Phase, number> = Object.fromEntries(PHASES.map((phase) => [phase, 0])) as Record<Phase, number>;
  readonly meter: UsageMeter;
  readonly nextMeter: UsageMeter;
  nextPrefetch: Prefetch | null = null;
  private readonly logger: Logger;
  private readonly startedAt: Date;
  private objective: CycleObjective | null = null;
  private strategy: string | null = null;
  private files: string[] = [];

  constructor(
    readonly n: number,
    private readonly context: RunContext,
    private readonly now: () => Date,
    private readonly decisions: Map<string, StrategyChoice>,
    private readonly settings: CycleSettings,
  ) {
    const tokensPerCycle = context.config.llm.budget.tokensPerCycle;
    this.meter = createUsageMeter({ tokenLimit: tokensPerCycle });
    this.nextMeter = createUsageMeter({ tokenLimit: tokensPerCycle });
    this.logger = context.logger.child({ cycle: n });
    this.startedAt = now();
  }

  async run(): Promise<CycleRecord> {
    this.context.onEvent?.({ type: 'cycle-start', n: this.n });
    const sandboxes: Sandbox[] = [];
    try {
      const commit = await this.evolve(sandboxes);
      return this.record('committed', null, `committed ${commit.slice(0, 12)} to ${this.context.config.git.branch}`, commit);
    } catch (error) {
      if (error instanceof CycleEnd) return this.record(error.outcome, error.reason, error.detail, null);
      if (this.context.signal.aborted || error instanceof AbortedError) return this.record('failed', 'ABORTED', 'the run was interrupted; the cycle stopped cleanly', null);
      const code = isHephaestusError(error) ? error.code : 'UNEXPECTED_ERROR';
      // The console gets one line; the stack goes to the log file at debug level.
      this.logger.error({ code }, `cycle ${this.n} failed: ${(error as Error).message}`);
      this.logger.debug({ err: error }, 'cycle-failed');
      return this.record('failed', code, (error as Error).message, null);
    } finally {
      for (const sandbox of sandboxes) this.context.pool.release(sandbox);
    }
  }

  private async evolve(sandboxes: Sandbox[]): Promise<string> {
    const { context } = this;
    const { config, signal } = context;
    const base = await resolveBranchBase(context.repoRoot, config.git.branch, signal);
    const primary = await context.pool.acquire(base.commit, signal);
    sandboxes.push(primary);

    // Manifest: scan the base commit (in the sandbox, never the user's working tree).
    const { scan, manifest } = await this.phase('manifest', async () => {
      const scanned = await scanRepository(primary.root, { config, ...(context.scanCache ? { cache: context.scanCache } : {}), logger: this.logger, signal });
      return { scan: scanned, manifest: renderManifest(scanned, { manifestPath: config.manifest.path }) };
    });

    const objective = await this.phase('objective', () => this.chooseObjective(scan, manifest, primary.root));
    if (!objective) throw new CycleEnd('skipped', 'NOTHING_TO_DO', 'no queued objective and nothing to improve was found');
    this.objective = objective;
    context.onEvent?.({ type: 'objective-chosen', n: this.n, objective: objective.text, source: objective.source });
    const failures = context.memory.failureCount(objective.text);
    if (failures >= config.objectives.maxFailures) {
      throw new CycleEnd('skipped', 'DEGENERATIVE_LOOP', `this objective already failed ${failures} times (objectives.maxFailures = ${config.objectives.maxFailures})`);
    }

    const candidates = await this.phase('architect', () => this.plan(objective, scan, manifest, primary.root));
    const strategyByPlan = await this.phase('maestro', () => this.chooseStrategies(candidates, scan));
    const runnable = candidates.filter((candidate) => strategyByPlan.get(candidate)!.strategy !== 'DISCARD');
    if (runnable.length === 0) {
      const choice = strategyByPlan.get(candidates[0]!)!;
      this.strategy = choice.strategy;
      throw new CycleEnd('rejected', 'DISCARDED', `the Maestro discarded the plan: ${choice.reason}`);
    }

    const queue = await readQueue(context.stateDir);
    if (this.settings.prefetchNext && queue.user.length === 0 && queue.stack.length === 0) {
      // Pipelining: the next objective is generated while this cycle validates.
      const objective = this.settings.prefetchNext(scan, manifest, this.nextMeter).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'prefetching the next objective failed');
        return null;
      });
      this.nextPrefetch = { objective, meter: this.nextMeter };
    }

    const winner = await this.phase('validation', () =>
      validateCandidates(runnable, {
        base: base.commit,
        primary,
        pool: context.pool,
        sandboxes,
        strategyOf: (candidate) => strategyByPlan.get(candidate)!.strategy,
        config,
        affectedTests: (files) => affectedTests(scan, files),
        // The regenerated AGENTS.md is part of what gets validated, not added afterwards.
        beforeValidation: (sandbox, candidate) => this.refreshManifest(sandbox, candidate, scan),
        logger: this.logger,
        signal,
      }),
    );
    this.strategy = winner.strategy;
    this.files = [...winner.candidate.changes.keys()].sort();
    this.recordValidation(winner.results);
    if (!winner.passed) {
      const failure = winner.failure!;
      this.learn(failure.reason, failure.detail, winner.candidate);
      throw new CycleEnd('rejected', failure.reason, failure.detail);
    }

    return this.phase('commit', () => this.commit(winner.sandbox, winner.candidate, winner.strategy, base.expectedTip, scan));
  }

  private async chooseObjective(scan: ScanResult, manifest: string, workspace: string): Promise<CycleObjective | null> {
    if (this.settings.oneOff) return { text: this.settings.oneOff, files: [], detail: null, source: 'one-off' };
    const queued = await takeNextObjective(this.context.stateDir);
    if (queued) return { text: queued.text, files: queued.files, detail: queued.detail, source: queued.source };
    const prefetched = this.settings.prefetched ? await this.settings.prefetched.objective : null;
    if (prefetched && this.context.memory.failureCount(prefetched.text) < this.context.config.objectives.maxFailures) return prefetched;
    return generated(scan, manifest, this.meter, this.context, workspace);
  }

  private async plan(objective: CycleObjective, scan: ScanResult, manifest: string, readRoot: string): Promise<Candidate[]> {
    const { context } = this;
    const count = this.settings.candidates;
    const baseTemperature = context.config.llm.temperature;
    const lessons = context.memory.lessonsFor(objective.text);
    const attempts = await Promise.allSettled(
      Array.from({ length: count }, (_, index) =>
        runArchitect(
          { objective, scan, manifest, lessons },
          {
            repoRoot: readRoot,
            config: context.config,
            llm: context.llm,
            logger: this.logger.child({ candidate: index + 1 }),
            signal: context.signal,
            meter: this.meter,
            // Varied temperatures make the candidates differ.
            ...(count > 1 ? { temperature: Math.min(1, baseTemperature + index * 0.3) } : {}),
          },
        ),
      ),
    );
    const rejected = attempts.find((attempt): attempt is PromiseRejectedResult => attempt.status === 'rejected');
    const results = attempts.flatMap((attempt) => (attempt.status === 'fulfilled' ? [attempt.value] : []));
    const accepted = results.filter((result) => result.ok);
    if (accepted.length === 0) {
      if (rejected) throw rejected.reason;
      const failed = results.find((result) => !result.ok);
      if (failed && !failed.ok) {
        this.files = objective.files;
        this.learn('ARCHITECT_FAILED', failed.detail, null);
        throw new CycleEnd('rejected', 'ARCHITECT_FAILED', failed.detail);
      }
    }

    const gap = accepted.find((result) => result.capabilityGap !== null && result.plan.patches.length === 0);
    if (gap?.capabilityGap) {
      await addObjective(context.stateDir, { text: `Add the missing capability: ${gap.capabilityGap}`, source: 'capacitation', files: objective.files });
      throw new CycleEnd('skipped', 'CAPABILITY_GAP', `the Architect reports a missing capability, queued as a capacitation objective: ${gap.capabilityGap}`);
    }

    // Drop normalised duplicates and plans that already failed the same way.
    const seen = new Set<string>();
    const candidates: Candidate[] = [];
    for (const result of accepted) {
      const hash = planHash(result.plan);
      if (seen.has(hash)) continue;
      seen.add(hash);
      const previous = context.memory.snapshot.failed.find((entry) => entry.planHash === hash);
      if (previous) {
        this.logger.info({ planHash: hash, reason: previous.reason }, 'plan already failed before; not retried');
        continue;
      }
      candidates.push({ plan: result.plan, changes: result.changes, analysis: result.analysis, hash });
    }
    if (candidates.length === 0) {
      throw new CycleEnd('skipped', 'REPEATED_PLAN', 'every plan the Architect produced already failed before in the same way; not retried');
    }
    return candidates;
  }

  private async chooseStrategies(candidates: readonly Candidate[], scan: ScanResult): Promise<Map<Candidate, StrategyChoice>> {
    const { context } = this;
    const baseFiles = new Set(scan.files.map((file) => file.path));
    const isTestFile = createTestFileMatcher(context.config.validation.tests.files);
    const choices = new Map<Candidate, StrategyChoice>();
    for (const candidate of candidates) {
      const choice = await selectStrategy(
        { changes: candidate.changes, baseFiles, analysis: candidate.analysis },
        { config: context.config, repoRoot: context.repoRoot, isTestFile, memory: context.memory, llm: context.llm, logger: this.logger, signal: context.signal, meter: this.meter, decisions: this.decisions },
      );
      this.logger.info({ strategy: choice.strategy, source: choice.source, reason: choice.reason }, 'strategy-chosen');
      choices.set(candidate, choice);
    }
    return choices;
  }

  private async commit(sandbox: Sandbox, candidate: Candidate, strategy: string, expectedTip: string | null, scan: ScanResult): Promise<string> {
    const { context } = this;
    const { config, signal } = context;
    const files = [...candidate.changes.keys()].sort();
    const author: GitAuthor = config.git.author;
    const message = await writeCommitMessage({
      objective: this.objective!.text,
      files,
      mode: config.git.commitMessages,
      llm: context.llm,
      meter: this.meter,
      logger: this.logger,
      signal,
    });
    const commit = await sandbox.commit(message, files, signal);
    let promotion;
    try {
      promotion = await promoteCommit({ repoRoot: context.repoRoot, branch: config.git.branch, commit, expectedTip, logger: this.logger, signal });
    } catch (error) {
      if (error instanceof BranchMovedError) throw new CycleEnd('rejected', 'BRANCH_MOVED', error.message);
      throw error;
    }
    if (promotion.checkoutNote) this.logger.warn({ branch: promotion.branch }, promotion.checkoutNote);

    const sanity = await runSanityStep({
      strategy,
      repoRoot: context.repoRoot,
      promotion,
      author,
      sandbox,
      changes: candidate.changes,
      config,
      affectedTests: (changed) => affectedTests(scan, changed),
      signal,
      logger: this.logger,
    });
    if (!sanity.ok && sanity.reason === 'REGRESSION_ROLLED_BACK') {
      const detail = `the sanity step ${sanity.step?.step ?? ''} failed on the new tip (${sanity.step?.reason ?? 'failed'}); reverted by ${sanity.reversion?.revertCommit.slice(0, 12) ?? '?'}\n${sanity.step?.outputTail ?? ''}`;
      this.learn('REGRESSION_ROLLED_BACK', detail, candidate);
      throw new CycleEnd('rejected', 'REGRESSION_ROLLED_BACK', detail);
    }
    context.memory.recordCompleted({ objective: this.objective!.text, strategy, commit, files });
    return commit;
  }

  /** Regenerates the tracked AGENTS.md on the patched tree so the branch stays in sync; the
   *  new content joins the candidate's changes before validation runs. */
  private async refreshManifest(sandbox: Sandbox, candidate: Candidate, scan: ScanResult): Promise<void> {
    const { config } = this.context;
    const manifestPath = config.manifest.path;
    if (!config.manifest.commit || !scan.files.some((file) => file.path === manifestPath)) return;
    const rescanned = await scanRepository(sandbox.root, { config, ...(this.context.scanCache ? { cache: this.context.scanCache } : {}), signal: this.context.signal });
    const content = renderManifest(rescanned, { manifestPath });
    const file = path.join(sandbox.root, manifestPath);
    if ((await readFile(file, 'utf8').catch(() => null)) !== content) {
      await writeFile(file, content);
      candidate.changes.set(manifestPath, content);
    }
  }

  private recordValidation(results: ReadonlyArray<{ strategy: string; ok: boolean; durationMs: number; flaky: string[] }>): void {
    for (const result of results) {
      this.context.memory.recordStrategy(result.strategy, result.ok, result.durationMs);
      if (result.flaky.length > 0) this.context.memory.recordFlakyTests(result.flaky);
    }
  }

  /** Records a failure in memory, a lesson, and a correction objective when one helps. */
  private learn(reason: string, detail: string, candidate: Candidate | null): void {
    const objective = this.objective;
    if (!objective) return;
    const { memory } = this.context;
    memory.recordFailed({ objective: objective.text, strategy: this.strategy, reason, detail: detail.slice(-2_000), planHash: candidate?.hash ?? null });
    memory.addLesson({ objective: objective.text, reason, lesson: `${reason}: ${firstLines(detail, 3)}` });
    // The offline engine only carries out its own fixes; a correction objective would be work it cannot do.
    if (this.context.llm.provider === 'offline') return;
    const correction = correctionObjective({ objective: objective.text, reason, detail, files: candidate ? [...candidate.changes.keys()] : objective.files, wasCorrection: objective.source === 'correction' });
    if (correction) {
      void addObjective(this.context.stateDir, correction).catch((error: unknown) => this.logger.warn({ err: error }, 'could not queue the correction objective'));
    }
  }

  private async phase<T>(phase: Phase, action: () => Promise<T>): Promise<T> {
    this.context.onEvent?.({ type: 'phase-start', n: this.n, phase });
    const started = performance.now();
    try {
      return await action();
    } finally {
      const durationMs = performance.now() - started;
      this.durations[phase] += durationMs;
      this.context.onEvent?.({ type: 'phase-end', n: this.n, phase, durationMs });
    }
  }

  private record(outcome: Outcome, reason: string | null, detail: string, commit: string | null): CycleRecord {
    // Usage of this cycle, plus what generating its objective cost during the previous cycle.
    const own = this.meter.totals;
    const early = this.settings.prefetched?.meter.totals;
    const totals = early
      ? { calls: own.calls + early.calls, cacheHits: own.cacheHits + early.cacheHits, tokensIn: own.tokensIn + early.tokensIn, tokensOut: own.tokensOut + early.tokensOut, cost: own.cost + early.cost }
      : own;
    const record: CycleRecord = {
      runId: this.context.runId,
      n: this.n,
      objective: this.objective?.text ?? null,
      strategy: this.strategy,
      outcome,
      reason,
      detail,
      commit,
      files: this.files,
      durationsMs: Object.fromEntries(PHASES.map((phase) => [phase, Math.round(this.durations[phase])])) as Record<Phase, number>,
      llm: { calls: totals.calls, cacheHits: totals.cacheHits, tokensIn: totals.tokensIn, tokensOut: totals.tokensOut, cost: totals.cost },
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.now().toISOString(),
    };
    this.logger.info({ event: 'cycle-recorded', outcome, reason, commit }, `cycle ${this.n}: ${outcome}${reason ? ` (${reason})` : ''}`);
    return record;
  }
}

function firstLines(text: string, count: number): string {
  return text.split('\n').filter((line) => line.trim() !== '').slice(0, count).join(' / ').slice(0, 400);
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
