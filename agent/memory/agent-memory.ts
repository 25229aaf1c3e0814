// The agent's memory of past attempts (`.hephaestus/memory.json`). Saves are write-behind:
// save() returns at once, writes coalesce, each write is temp file + fsync + rename, and
// flush() waits for everything queued. A corrupt file is kept aside and a fresh memory starts.
import { readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { writeFileAtomic } from '../state/atomic-write.js';
import { emptyMemory, memorySchema, type CompletedEntry, type FailedEntry, type Lesson, type MemoryData, type StrategyStats } from './memory-schema.js';

export const MEMORY_FILE_NAME = 'memory.json';

/** What a plan was validated against (FailedEntry.validatedAgainst). */
export interface ValidationContext {
  validation: string;
  baseCommit: string;
}
const RECENT_OBJECTIVES = 20;

export interface OpenMemoryOptions {
  /** Entries kept per list (completed, failed, lessons); per-strategy stats are always kept. */
  maxEntries: number;
  logger?: Logger;
  now?: () => Date;
  /** Applied to the file's text before every write (the run's secret redaction). */
  redact?: (text: string) => string;
}

/** What planners read: the memory without its writers. */
export type ReadonlyMemory = Pick<AgentMemory, 'snapshot' | 'failureCount' | 'lessonsFor' | 'successRates'>;

export class AgentMemory {
  private data: MemoryData;
  private writing: Promise<void> | null = null;
  private dirty = false;
  private lastError: unknown = null;

  private constructor(
    readonly file: string,
    data: MemoryData,
    private readonly options: OpenMemoryOptions,
  ) {
    this.data = data;
  }

  /** Reads memory.json; a missing file starts empty, a corrupt one is kept aside with a warning. */
  static async open(stateDir: string, options: OpenMemoryOptions): Promise<AgentMemory> {
    const file = path.join(stateDir, MEMORY_FILE_NAME);
    await removeStaleTemporaries(stateDir);
    let text: string | null = null;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text === null) return new AgentMemory(file, emptyMemory(), options);

    let problem: string;
    try {
      const parsed = memorySchema.safeParse(JSON.parse(text));
      if (parsed.success) return new AgentMemory(file, parsed.data, options);
      problem = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    } catch (error) {
      problem = (error as Error).message;
    }
    const aside = `${file}.corrupt-${(options.now?.() ?? new Date()).toISOString().replaceAll(':', '-')}`;
    await rename(file, aside);
    options.logger?.warn({ file, aside, problem }, `memory.json was unreadable (${problem}); kept it as ${path.basename(aside)} and started a fresh memory`);
    return new AgentMemory(file, emptyMemory(), options);
  }

  get snapshot(): Readonly<MemoryData> {
    return this.data;
  }

  recordCompleted(entry: Omit<CompletedEntry, 'at'>): void {
    this.data.completed.push({ ...entry, at: this.timestamp() });
    this.noteObjective(entry.objective);
    this.trim();
  }

  recordFailed(entry: Omit<FailedEntry, 'at'>): void {
    this.data.failed.push({ ...entry, at: this.timestamp() });
    this.noteObjective(entry.objective);
    this.trim();
  }

  recordStrategy(name: string, passed: boolean, durationMs: number): void {
    const stats: StrategyStats = this.data.strategyStats[name] ?? { attempts: 0, successes: 0, failures: 0, totalMs: 0 };
    stats.attempts += 1;
    if (passed) stats.successes += 1;
    else stats.failures += 1;
    stats.totalMs += durationMs;
    this.data.strategyStats[name] = stats;
  }

  recordFlakyTests(files: readonly string[]): void {
    for (const file of files) {
      const previous = this.data.flakyTests[file];
      this.data.flakyTests[file] = { count: (previous?.count ?? 0) + 1, lastAt: this.timestamp() };
    }
  }

  addCapability(capability: string): void {
    if (!this.data.capabilities.includes(capability)) this.data.capabilities.push(capability);
  }

  addLesson(lesson: Omit<Lesson, 'at'>): void {
    this.data.lessons.push({ ...lesson, at: this.timestamp() });
    this.trim();
  }

  /** How often this exact objective (normalised) has failed. */
  failureCount(objective: string): number {
    const key = normalise(objective);
    return this.data.failed.filter((entry) => normalise(entry.objective) === key).length;
  }

  /** Whether a plan with this normalised hash already failed with this reason. */
  planFailedBefore(planHash: string, reason: string): boolean {
    return this.data.failed.some((entry) => entry.planHash === planHash && entry.reason === reason);
  }

  /**
   * The latest failure of this plan against the same validation config and base commit, or
   * null. A failure recorded against anything else (another commit, changed commands, or
   * without a record of what it ran against) says nothing about this attempt.
   */
  planFailedAgainst(planHash: string, against: ValidationContext): FailedEntry | null {
    for (let index = this.data.failed.length - 1; index >= 0; index--) {
      const entry = this.data.failed[index]!;
      if (entry.planHash !== planHash || !entry.validatedAgainst) continue;
      if (entry.validatedAgainst.validation === against.validation && entry.validatedAgainst.baseCommit === against.baseCommit) return entry;
    }
    return null;
  }

  /** Lessons of the objectives most similar to `objective` (word overlap), newest first on ties. */
  lessonsFor(objective: string, limit = 5): Lesson[] {
    const words = wordsOf(objective);
    return this.data.lessons
      .map((lesson, index) => ({ lesson, index, score: similarity(words, wordsOf(lesson.objective)) }))
      .filter((candidate) => candidate.score > 0)
      .sort((left, right) => right.score - left.score || right.index - left.index)
      .slice(0, limit)
      .map((candidate) => candidate.lesson);
  }

  /** Success rate per strategy, for the Maestro and `status`. */
  successRates(): Record<string, { attempts: number; rate: number }> {
    return Object.fromEntries(
      Object.entries(this.data.strategyStats).map(([name, stats]) => [name, { attempts: stats.attempts, rate: stats.attempts === 0 ? 0 : stats.successes / stats.attempts }]),
    );
  }

  /** Schedules a write and returns at once; concurrent saves coalesce into one write. */
  save(): void {
    this.dirty = true;
    if (this.writing) return;
    this.writing = this.writeLoop();
  }

  /** Waits until every save() made so far is on disk; rethrows the last write error. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.lastError) {
      const error = this.lastError;
      this.lastError = null;
      throw error;
    }
  }

  private async writeLoop(): Promise<void> {
    // Let synchronous callers finish their burst of updates first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.dirty) {
        this.dirty = false;
        try {
          const text = `${JSON.stringify(this.data, null, 2)}\n`;
          await writeFileAtomic(this.file, this.options.redact ? this.options.redact(text) : text);
        } catch (error) {
          this.lastError = error;
          this.options.logger?.error({ err: error, file: this.file }, 'memory-save-failed');
        }
      }
    } finally {
      this.writing = null;
    }
  }

  private noteObjective(objective: string): void {
    this.data.recentObjectives = [objective, ...this.data.recentObjectives.filter((recent) => recent !== objective)].slice(0, RECENT_OBJECTIVES);
  }

  private trim(): void {
    const max = this.options.maxEntries;
    if (this.data.completed.length > max) this.data.completed.splice(0, this.data.completed.length - max);
    if (this.data.failed.length > max) this.data.failed.splice(0, this.data.failed.length - max);
    if (this.data.lessons.length > max) this.data.lessons.splice(0, this.data.lessons.length - max);
  }

  private timestamp(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}

/** Temp files of writes cut short by a crash (see writeFileAtomic). */
async function removeStaleTemporaries(stateDir: string): Promise<void> {
  const names = await readdir(stateDir).catch(() => [] as string[]);
  const stale = names.filter((name) => name.startsWith(`.${MEMORY_FILE_NAME}.`) && name.endsWith('.tmp'));
  await Promise.all(stale.map((name) => unlink(path.join(stateDir, name)).catch(() => undefined)));
}

export function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^a-z0-9_./-]+/).filter((word) => word.length > 2));
}

function similarity(left: Set<string>, right: Set<string>): number {
  let shared = 0;
  for (const word of left) if (right.has(word)) shared += 1;
  const union = left.size + right.size - shared;
  return union === 0 ? 0 : shared / union;
}
