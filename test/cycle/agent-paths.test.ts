// Cycle paths through the library API, in process: a scripted provider behind the real LLM
// client plans documentation changes on a real repository (DOC_UPDATE: no test run), so each
// cycle is quick. CAPABILITY_GAP, REPEATED_PLAN, --max-commits, continuous runs, budget stops.
import { mkdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createAgent, type Agent, type ConfigInput, type LlmProvider } from '../../agent/index.js';
import { checkArchitectReply } from '../../agent/architect/check-architect-reply.js';
import { configSchema } from '../../agent/config/schema.js';
import { planHash } from '../../agent/cycle/plan-hash.js';
import { validationFingerprint } from '../../strategies/baseline/baseline-store.js';
import { AgentMemory } from '../../agent/memory/agent-memory.js';
import { readQueue } from '../../agent/objectives/objective-queue.js';
import { silentLogger } from '../llm/llm-test-kit.js';
import { objectiveInMessages, scriptedProvider, useTestScope, type ScriptedProvider } from './cycle-kit.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const scope = useTestScope();

const CONFIG: ConfigInput = { llm: { provider: 'openai', cache: { mode: 'off' } }, sandbox: { linkPaths: [], pool: 1 }, run: { continuousPauseMs: 0 } };
const readmeLine = (n: number) => ({ analysis: `documents feature ${n}`, patches: [{ operation: 'INSERT', file_path: 'README.md', content: `\nFeature ${n}.\n` }] });

/** Answers by purpose; objectives are numbered, and every Architect reply comes from `architect`. */
function documentingProvider(architect: (objective: string, calls: number) => unknown, tokensPerCall = 0): ScriptedProvider {
  let objectives = 0;
  let plans = 0;
  return scriptedProvider(
    {
      objective: () => ({ objective: `Document feature number ${++objectives}` }),
      architect: (request) => architect(objectiveInMessages(request.messages), ++plans),
    },
    tokensPerCall,
  );
}

interface OpenOptions {
  /** Default: a new project. */
  repo?: TempRepo;
  config?: ConfigInput;
  signal?: AbortSignal;
  onEvent?: Parameters<typeof createAgent>[0]['onEvent'];
}

async function open(provider: LlmProvider, options: OpenOptions = {}): Promise<{ opened: Agent; repo: TempRepo }> {
  const { config = CONFIG, signal, onEvent } = options;
  const repo = options.repo ?? scope.use(await makeTempRepo({ 'README.md': '# Project\n', 'src/index.js': 'export const answer = 42;\n' }));
  const opened = scope.use(await createAgent({ repoRoot: repo.root, config, provider, logger: silentLogger, ids: () => 'run-1', ...(signal ? { signal } : {}), ...(onEvent ? { onEvent } : {}) }));
  return { opened, repo };
}

describe('cycles through createAgent', () => {
  it('CAPABILITY_GAP queues a capacitation objective; the next cycle carries it out and memory keeps the capability', async () => {
    const provider = documentingProvider((objective, calls) => (calls === 1 ? { analysis: 'cannot', patches: [], capability_gap: 'read PDF files' } : readmeLine(calls)));
    const { opened, repo } = await open(provider);
    const first = await opened.runCycle({ objective: 'Summarise the PDF manual in the README' });
    expect([first.outcome, first.reason, first.detail]).toEqual(['skipped', 'CAPABILITY_GAP', 'the Architect reports a missing capability, queued as a capacitation objective: read PDF files']);
    expect((await readQueue(opened.stateDir)).stack.map((entry) => [entry.source, entry.text])).toEqual([['capacitation', 'Add the missing capability: read PDF files']]);

    const second = await opened.runCycle();
    expect([second.objective, second.outcome, second.strategy, second.files]).toEqual(['Add the missing capability: read PDF files', 'committed', 'DOC_UPDATE', ['README.md']]);
    await opened.close();
    const memory = await AgentMemory.open(`${repo.root}/.hephaestus`, { maxEntries: 200 });
    expect(memory.snapshot.capabilities).toEqual(['read PDF files']);
  });

  it('REPEATED_PLAN skips a plan that already failed the same way', async () => {
    const repo = scope.use(await makeTempRepo({ 'README.md': '# Project\n' }));
    await mkdir(`${repo.root}/.hephaestus`, { recursive: true });
    const memory = await AgentMemory.open(`${repo.root}/.hephaestus`, { maxEntries: 200 });
    const checked = await checkArchitectReply(JSON.stringify(readmeLine(1)), { repoRoot: repo.root, config: configSchema.parse(CONFIG) });
    if (!checked.ok) throw new Error('the scripted plan does not pass the pre-check');
    // A failure counts against a plan only for the base commit and validation config it ran against.
    const validatedAgainst = { validation: validationFingerprint(configSchema.parse(CONFIG)), baseCommit: await repo.git('rev-parse', 'HEAD') };
    memory.recordFailed({ objective: 'Document feature one', strategy: 'DOC_UPDATE', reason: 'SYNTAX_ERROR', detail: 'scripted', planHash: planHash(checked.plan), validatedAgainst });
    memory.save();
    await memory.flush();
    const { opened } = await open(documentingProvider(() => readmeLine(1)), { repo });
    const record = await opened.runCycle({ objective: 'Document feature one' });
    expect([record.outcome, record.reason, record.detail]).toEqual(['skipped', 'REPEATED_PLAN', 'every plan the Architect produced already failed before in the same way; not retried']);
    expect(await repo.git('branch', '--list', 'hephaestus/evolve')).toBe('');
  });

  it('maxCommits stops the run after that many commits', async () => {
    const { opened } = await open(documentingProvider((_objective, calls) => readmeLine(calls)));
    const summary = await opened.runCycles({ cycles: 3, maxCommits: 1 });
    expect([summary.cycles.map((cycle) => cycle.outcome), summary.committed, summary.stopReason]).toEqual([['committed'], 1, '--max-commits 1 reached']);
  });

  it('a continuous run goes on until its signal aborts, then stops after the cycle it is in', async () => {
    const controller = new AbortController();
    const provider = documentingProvider((_objective, calls) => readmeLine(calls));
    const { opened, repo } = await open(provider, {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'cycle-end' && event.n === 2) controller.abort();
      },
    });
    const summary = await opened.runCycles({ cycles: null });
    expect([summary.cycles.map((cycle) => [cycle.n, cycle.outcome]), summary.stopReason]).toEqual([[[1, 'committed'], [2, 'committed']], 'interrupted']);
    expect((await repo.git('log', '--format=%s', 'main..hephaestus/evolve')).split('\n')).toHaveLength(2);
  });

  it('an exhausted run budget fails the cycle with BUDGET_EXCEEDED and stops the run', async () => {
    const provider = documentingProvider((_objective, calls) => readmeLine(calls), 50);
    const { opened } = await open(provider, { config: { ...CONFIG, llm: { provider: 'openai', cache: { mode: 'off' }, budget: { tokensPerRun: 40 } } } });
    const summary = await opened.runCycles({ cycles: 3, objective: 'Document feature one' });
    expect(summary.cycles.map((cycle) => [cycle.outcome, cycle.reason])).toEqual([
      ['committed', null],
      ['failed', 'BUDGET_EXCEEDED'],
    ]);
    expect([summary.stopReason, provider.purposes]).toEqual(['LLM budget exhausted', ['architect']]);
  });
});
