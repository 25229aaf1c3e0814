// The next objective is proposed while the current cycle validates. The proposal knows the
// current objective (it is listed as recently attempted), and when the cycle commits, a proposal
// about a file that commit changed is made again against the new tip. Each commit message
// describes the plan that was committed.
import { describe, expect, it } from 'vitest';
import { createAgent, type ConfigInput, type LlmProvider, type ProviderRequest } from '../../agent/index.js';
import { silentLogger } from '../llm/llm-test-kit.js';
import { makeTempRepo } from '../support/temp-repo.js';
import { objectiveInMessages, useTestScope } from './cycle-kit.js';

const scope = useTestScope();

const CONFIG: ConfigInput = { llm: { provider: 'openai', cache: { mode: 'off' } }, sandbox: { linkPaths: [], pool: 1 }, run: { continuousPauseMs: 0 } };

interface ScriptedObjective {
  objective: string;
  files: string[];
}

/** Objectives in the order given; the Architect adds a line to the file the objective names. */
function scriptedProvider(objectives: ScriptedObjective[]): LlmProvider & { objectivePrompts: string[] } {
  const objectivePrompts: string[] = [];
  return {
    name: 'scripted',
    url: 'scripted://test',
    objectivePrompts,
    async send(request: ProviderRequest) {
      const usage = { inputTokens: 0, outputTokens: 0 };
      if (request.purpose === 'objective') {
        const next = objectives[objectivePrompts.length];
        objectivePrompts.push(request.system);
        return { text: JSON.stringify(next ?? { objective: null }), model: 'scripted', usage };
      }
      if (request.purpose === 'architect') {
        const objective = objectiveInMessages(request.messages);
        const scripted = objectives.find((entry) => objective.startsWith(entry.objective))!;
        const file = scripted.files[0]!;
        const plan = { analysis: `Adds one line about "${scripted.objective}" to ${file}.`, patches: [{ operation: 'INSERT', file_path: file, content: `\n${scripted.objective}.\n` }] };
        return { text: JSON.stringify(plan), model: 'scripted', usage };
      }
      throw new Error(`no scripted reply for ${request.purpose}`);
    },
  };
}

describe('the objective proposed ahead', () => {
  it('lists the current objective as attempted, is proposed again when the commit changed its file, and is kept otherwise', async () => {
    const repo = scope.use(await makeTempRepo({ 'README.md': '# Project\n', 'NOTES.md': '# Notes\n', 'src/index.js': 'export const answer = 42;\n' }));
    const provider = scriptedProvider([
      { objective: 'Document the answer in README.md', files: ['README.md'] }, // cycle 1
      { objective: 'Document the licence in README.md', files: ['README.md'] }, // ahead, during cycle 1: its file changes
      { objective: 'Record the release plan in NOTES.md', files: ['NOTES.md'] }, // cycle 2, proposed again
      { objective: 'Document the install steps in README.md', files: ['README.md'] }, // ahead, during cycle 2: still current
    ]);
    const agent = scope.use(await createAgent({ repoRoot: repo.root, config: CONFIG, provider, logger: silentLogger, ids: () => 'run-1' }));
    const summary = await agent.runCycles({ cycles: 3 });

    expect(summary.cycles.map((cycle) => [cycle.objective, cycle.outcome, cycle.files])).toEqual([
      ['Document the answer in README.md', 'committed', ['README.md']],
      ['Record the release plan in NOTES.md', 'committed', ['NOTES.md']],
      ['Document the install steps in README.md', 'committed', ['README.md']],
    ]);
    expect(provider.objectivePrompts).toHaveLength(4);
    const recentOf = (prompt: string) => /Recently attempted objectives \(do not repeat them\):\n([\s\S]*?)\n\n/.exec(prompt)?.[1];
    expect(provider.objectivePrompts.map(recentOf)).toEqual([
      '(none)',
      '- Document the answer in README.md',
      '- Document the answer in README.md',
      '- Record the release plan in NOTES.md\n- Document the answer in README.md',
    ]);
    // The metrics are given once, not again inside the manifest.
    expect(provider.objectivePrompts.map((prompt) => [prompt.split('Code metrics:').length - 1, prompt.includes('## Metrics')])).toEqual(provider.objectivePrompts.map(() => [1, false]));

    const bodies = (await repo.git('log', '--format=%b%x00', 'main..hephaestus/evolve')).split('\0').map((body) => body.trim()).filter((body) => body !== '');
    expect(bodies.map((body) => body.split('\n\n')[1]?.replaceAll('\n', ' '))).toEqual([
      'Adds one line about "Document the install steps in README.md" to README.md.',
      'Adds one line about "Record the release plan in NOTES.md" to NOTES.md.',
      'Adds one line about "Document the answer in README.md" to README.md.',
    ]);
  });
});
