// What eval reports per task (`eval --json` prints these), and the rule that decides whether a
// task is resolved (the corpus README): the first cycle reaches the expected outcome (and
// reason), and then either every check passes at the new tip (committed) or the branch holds no
// new commit (rejected, skipped).
import type { CycleRecord, Phase } from '../cycle/cycle-record.js';
import type { SuiteResult } from './check-tip.js';
import type { TaskCommandsResult } from './run-task-commands.js';
import type { EvalTask, ReplayRole } from './task-schema.js';

export type EvalProviderName = 'replay' | 'offline' | 'openai' | 'anthropic';

/** Where a task stopped when it could not be run to the end. */
export type TaskStage = 'clone' | 'setup' | 'init' | 'cycles' | 'check';

export interface TaskCycle {
  n: number;
  objective: string | null;
  strategy: string | null;
  outcome: CycleRecord['outcome'];
  reason: string | null;
  detail: string;
  commit: string | null;
  files: string[];
  durationsMs: Record<Phase, number>;
}

/** What `init` found and ran once on the untouched base, per proposed command. */
export interface TaskInit {
  detected: { language: string; testFramework: string | null; typescript: boolean; linter: string | null };
  commands: Array<{ step: string; command: string; source: string; verdict: 'passed' | 'failed' | 'not-installed' | 'skipped'; enabled: boolean; durationMs: number; detail: string }>;
}

export interface TaskLlmUsage {
  calls: number;
  cacheHits: number;
  tokensIn: number;
  tokensOut: number;
  /** Input tokens of the calls answered from the LLM cache (not sent again). */
  tokensCached: number;
  cost: number;
}

export interface TaskResult {
  name: string;
  file: string;
  provider: EvalProviderName;
  model: string | null;
  resolved: boolean;
  expect: EvalTask['expect'];
  /** Why the task is not resolved, in words; null when it is. */
  problem: string | null;
  /** The last lines of the output behind `problem` (a command, a cycle's detail). */
  output: string | null;
  /** The stage that threw, when the task could not run to the end. */
  stoppedAt: TaskStage | null;
  /** `init` on the clone; null when the task brings its own config or init did not run. */
  init: TaskInit | null;
  cycles: TaskCycle[];
  base: string | null;
  branch: string | null;
  tip: string | null;
  commits: number;
  /** The repository's own full test suite at the tip; null when it did not run or none is configured. */
  suitePassed: boolean | null;
  suite: SuiteResult | null;
  check: TaskCommandsResult | null;
  /** Wall time per stage; the cycle phases are summed over all cycles. */
  durationsMs: Record<'clone' | 'setup' | 'init' | 'cycles' | 'suite' | 'check' | 'total', number> & { phases: Record<Phase, number> };
  llm: TaskLlmUsage;
  /** Replay only: the scripted replies served per role. */
  repliesServed: Record<ReplayRole, number> | null;
  /** The kept clone (with `--out`); null when it was removed. */
  directory: string | null;
}

export interface Judgement {
  resolved: boolean;
  problem: string | null;
  output: string | null;
}

export function judgeTask(task: EvalTask, cycles: readonly TaskCycle[], commits: number, check: TaskCommandsResult | null): Judgement {
  const first = cycles[0];
  if (first === undefined) return { resolved: false, problem: 'no cycle ran', output: null };
  const expected = task.expect;
  const reached = first.outcome === expected.outcome && (expected.reason === undefined || first.reason === expected.reason);
  if (!reached) {
    const want = `${expected.outcome}${expected.reason ? ` (${expected.reason})` : ''}`;
    const got = `${first.outcome}${first.reason ? ` (${first.reason})` : ''}`;
    return { resolved: false, problem: `the first cycle was ${got}, expected ${want}`, output: first.detail };
  }
  if (expected.outcome !== 'committed') {
    if (commits > 0) return { resolved: false, problem: `the first cycle was ${first.outcome} but the branch holds ${commits} new commit(s)`, output: null };
    return { resolved: true, problem: null, output: null };
  }
  if (commits === 0) return { resolved: false, problem: 'the first cycle reports a commit but the branch holds no new commit', output: null };
  if (check === null) return { resolved: false, problem: 'the check did not run', output: null };
  if (check.failure !== null) {
    const failed = check.failure;
    const how = failed.outcome === 'failed' ? `exit ${failed.exitCode}` : failed.outcome;
    return { resolved: false, problem: `check failed at the tip: ${failed.argv.join(' ')} (${how})`, output: failed.outputTail };
  }
  return { resolved: true, problem: null, output: null };
}
