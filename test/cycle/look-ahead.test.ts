// The next objective is proposed while the current cycle validates. The proposal knows the
// current objective (it is listed as recently attempted), and when the cycle commits, a proposal
// about a file that commit changed is made again against the new tip. Each commit message
// describes the plan that was committed.
import { describe, expect, it } from 'vitest';
import { createAgent, type ConfigInput } from '../../agent/index.js';
import { silentLogger } from '../llm/llm-test-kit.js';
import { makeTempRepo } from '../support/temp-repo.js';
import { objectiveInMessages, scriptedProvider, useTestScope, type ScriptedProvider } from './cycle-kit.js';

const scope = useTestScope();

const CONFIG: ConfigInput = { llm: { provider: 'openai', cache: { mode: 'off' } }, sandbox: { linkPaths: [], pool: 1 }, run: { continuousPauseMs: 0 } };

interface ScriptedObjective {
  objective: string;
  files: string[];
}

/** Objectives in the order given; the Architect adds a line to the file the objective names. */
function objectivesProvider(objectives: ScriptedObjective[]): ScriptedProvider {
  let proposed = 0;
  return scriptedProvider({
    objective: () => objectives[proposed++] ?? { objective: null },
    architect: (request) => {
      const objective = objectiveInMessages(request.messages);
      const scripted = objectives.find((entry) => objective.startsWith(entry.objective))!;
      const file = scripted.files[0]!;
      return { analysis: `Adds one line about "${scripted.objective}" to ${file}.`, patches: [{ operation: 'INSERT', file_path: file, content: `\n${scripted.objective}.\n` }] };
    },
  });
}

/** The system prompts of the objective requests, in order. */
function objectivePromptsOf(provider: ScriptedProvider): string[] {
  return provider.requests.filter((request) => request.purpose === 'objective').map((request) => request.system);
}

describe('the objective proposed ahead', () => {
  it('lists the current objective as attempted, is proposed again when the commit changed its file, and is kept otherwise', async () => {
    const repo = scope.use(await makeTempRepo({ 'README.md': '# Project\n', 'NOTES.md': '# Notes\n', 'src/index.js': 'export const answer = 42;\n' }));
    const provider = objectivesProvider([
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
    expect(objectivePromptsOf(provider)).toHaveLength(4);
    const recentOf = (prompt: string) => /Recently attempted objectives \(do not repeat them\):\n([\s\S]*?)\n\n/.exec(prompt)?.[1];
    expect(objectivePromptsOf(provider).map(recentOf)).toEqual([
      '(none)',
      '- Document the answer in README.md',
      '- Document the answer in README.md',
      '- Record the release plan in NOTES.md\n- Document the answer in README.md',
    ]);
    // The metrics are given once, not again inside the manifest.
    expect(objectivePromptsOf(provider).map((prompt) => [prompt.split('Code metrics:').length - 1, prompt.includes('## Metrics')])).toEqual(objectivePromptsOf(provider).map(() => [1, false]));

    const bodies = (await repo.git('log', '--format=%b%x00', 'main..hephaestus/evolve')).split('\0').map((body) => body.trim()).filter((body) => body !== '');
    expect(bodies.map((body) => body.split('\n\n')[1]?.replaceAll('\n', ' '))).toEqual([
      'Adds one line about "Document the install steps in README.md" to README.md.',
      'Adds one line about "Record the release plan in NOTES.md" to NOTES.md.',
      'Adds one line about "Document the answer in README.md" to README.md.',
    ]);
  });
});
