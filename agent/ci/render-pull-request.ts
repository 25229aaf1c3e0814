// The draft pull request's text, as pure functions of the run: a title, and a body that tables
// the run's cycles (objective, outcome, strategy, tests, tokens), sums up their outcomes (with a
// Mermaid chart GitHub draws) and lists the branch's commits.
import type { StrategyDefinition } from '../config/schema.js';
import type { CycleRecord } from '../cycle/cycle-record.js';
import { renderOutcomeSummary } from '../report/render-outcome-summary.js';

export interface BranchCommit {
  sha: string;
  subject: string;
}

export interface PullRequestContent {
  branch: string;
  /** Branch the pull request targets; null when unknown (the repository's default). */
  base: string | null;
  cycles: readonly CycleRecord[];
  /** Every commit on `branch` that `base` lacks, newest first (earlier runs included). */
  commits: readonly BranchCommit[];
  strategies: Readonly<Record<string, StrategyDefinition>>;
  stopReason: string | null;
}

const MAX_OBJECTIVE_CHARS = 120;
const MAX_COMMITS_LISTED = 100;

export function renderPullRequestTitle(content: PullRequestContent): string {
  const count = content.commits.length;
  return `Hephaestus: ${count} validated commit${count === 1 ? '' : 's'} on ${content.branch}`;
}

export function renderPullRequestBody(content: PullRequestContent): string {
  const { cycles } = content;
  const committed = cycles.filter((cycle) => cycle.outcome === 'committed').length;
  const tokens = cycles.reduce((sum, cycle) => sum + cycle.llm.tokensIn + cycle.llm.tokensOut, 0);
  const lines = [
    'Opened by Hephaestus, a self-evolving code agent. Every commit passed its validation strategy in a sandbox before it was committed; review it like any other change before merging.',
    '',
    '## This run',
    '',
    '| # | objective | outcome | strategy | tests | tokens |',
    '|---|---|---|---|---|---|',
    ...cycles.map(
      (cycle) =>
        `| ${cycle.n} | ${cell(cycle.objective ?? '—', MAX_OBJECTIVE_CHARS)} | ${outcomeCell(cycle)} | ${cycle.strategy ?? '—'} | ${testsCell(cycle, content.strategies)} | ${formatCount(cycle.llm.tokensIn + cycle.llm.tokensOut)} |`,
    ),
    '',
    `${cycles.length} cycle${cycles.length === 1 ? '' : 's'}, ${committed} committed, ${formatCount(tokens)} tokens, $${cycles.reduce((sum, cycle) => sum + cycle.llm.cost, 0).toFixed(4)}.${content.stopReason ? ` Stopped early: ${content.stopReason}.` : ''}`,
    '',
    ...summaryLines(cycles),
    `## Commits on \`${content.branch}\``,
    '',
  ];
  if (content.commits.length === 0) lines.push('None yet.');
  for (const commit of content.commits.slice(0, MAX_COMMITS_LISTED)) lines.push(`- \`${commit.sha.slice(0, 12)}\` ${cell(commit.subject, 200)}`);
  if (content.commits.length > MAX_COMMITS_LISTED) lines.push(`- … and ${content.commits.length - MAX_COMMITS_LISTED} more`);
  return `${lines.join('\n')}\n`;
}

function summaryLines(cycles: readonly CycleRecord[]): string[] {
  const summary = renderOutcomeSummary(cycles);
  return summary.length === 0 ? [] : [...summary, ''];
}

function outcomeCell(cycle: CycleRecord): string {
  if (cycle.outcome === 'committed' && cycle.commit) return `committed \`${cycle.commit.slice(0, 12)}\``;
  return cycle.reason ? `${cycle.outcome} (${cycle.reason})` : cycle.outcome;
}

/** Whether the cycle's strategy ran the tests, and how they went. */
function testsCell(cycle: CycleRecord, strategies: Readonly<Record<string, StrategyDefinition>>): string {
  const definition = cycle.strategy ? strategies[cycle.strategy] : undefined;
  if (!definition) return '—';
  const runsTests = definition.steps.some((step) => step === 'tests' || step === 'tests:affected');
  if (!runsTests) return 'not run';
  if (cycle.outcome === 'committed') return 'passed';
  if (cycle.reason === 'TESTS_FAILED') return 'failed';
  if (cycle.reason === 'REGRESSION_ROLLED_BACK') return 'failed on the new tip';
  return 'not reached';
}

/** Table-safe text: one line, pipes escaped, shortened. */
function cell(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim().replaceAll('|', '\\|');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
