// The offline engine and the offline planner: no key and no base URL resolve to it; objectives
// come one at a time in a fixed order, each reproducible as a plan.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkArchitectReply } from '../../agent/architect/check-architect-reply.js';
import { configSchema } from '../../agent/config/schema.js';
import { createProviderRegistry } from '../../agent/llm/provider-registry.js';
import { createUsageMeter } from '../../agent/llm/usage-meter.js';
import { changeToPatches } from '../../agent/offline/changes-to-patches.js';
import { OfflineEngine } from '../../agent/offline/offline-engine.js';
import { createPlanner } from '../../agent/planner/create-planner.js';
import type { Planner } from '../../agent/planner/planner.js';
import { precheckPlan } from '../../agent/patches/precheck-plan.js';
import { silentLogger } from '../llm/llm-test-kit.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const FILES = {
  'package.json': '{ "name": "fixture", "type": "module", "private": true }\n',
  'tsconfig.json': '{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true, "noEmit": true } }\n',
  'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport function sub(a: number, b: number): number {\n  return a - b;\n}\n\nexport const ZERO = 0;\n',
  'src/report.ts': [
    "import { sub, add } from './math.js';",
    "import { ZERO } from './math.js';",
    '',
    'function tick(): number {',
    '  return Date.now();',
    '}',
    '',
    'export function total(values: number[], unusedParameter?: string): number {',
    '  const started = tick();',
    '  const label = "total";',
    '  outer: for (const value of values) {',
    '    if (value < ZERO) break;',
    '  }',
    '  return values.reduce((sum, value) => add(sum, value), ZERO) - sub(ZERO, ZERO);',
    '}',
    '',
    'function helper(): string {',
    "  return 'never called';",
    '}',
    '',
  ].join('\n'),
  'src/app.ts': ['export async function double(value: number): Promise<number> {', '  return add(value, value);', '}', '', 'export function load(): number {', '  const value = await double(2);', '  return value;', '}', ''].join('\n'),
};

let repo: TempRepo;
let engine: OfflineEngine;
beforeEach(async () => {
  repo = await makeTempRepo(FILES);
  engine = new OfflineEngine({ config: configSchema.parse({}), logger: silentLogger });
});
afterEach(async () => {
  await repo.remove();
});

const signal = () => AbortSignal.timeout(60_000);

async function objective(skipObjectives: string[]) {
  return engine.proposeObjective(repo.root, skipObjectives, signal());
}

async function architect(objectiveText: string) {
  return engine.planFor(objectiveText, repo.root, signal());
}

describe('the offline planner', () => {
  it('is chosen without a key or base URL, declares what it cannot do, and plans its own objective through the pre-check', async () => {
    const config = configSchema.parse({});
    const planner: Planner = await createPlanner({ config, apiKeys: { openai: null, anthropic: null }, repoRoot: repo.root, stateDir: null, logger: silentLogger, providers: createProviderRegistry() });
    expect([planner.name, planner.capabilities, planner.llm]).toEqual(['offline', { prefetchObjectives: false, arbitraryObjectives: false }, null]);
    const context = { logger: silentLogger, signal: signal(), meter: createUsageMeter({ tokenLimit: null }) };
    const memory = { snapshot: { failed: [] } } as unknown as Parameters<Planner['proposeObjective']>[0]['memory'];
    const proposed = await planner.proposeObjective({ workspace: repo.root, scan: { files: [] } as never, manifest: '', memory }, context);
    expect(proposed).toEqual({ text: 'Fix `load` in src/app.ts: make it async, since it uses `await`', rationale: expect.any(String), files: ['src/app.ts'], source: 'offline' });
    const prechecked: string[] = [];
    const result = await planner.planPatch(
      { objective: { text: 'Fix `load` in src/app.ts: make it async, since it uses `await`', files: ['src/app.ts'] }, workspace: repo.root, scan: { files: [] } as never, manifest: '', lessons: [] },
      { ...context, precheck: (text) => (prechecked.push(text), checkArchitectReply(text, { repoRoot: repo.root, config })) },
    );
    expect([result.ok, result.ok && [...result.changes.keys()], prechecked.length]).toEqual([true, ['src/app.ts'], 1]);
    await planner.close();
  });
});

describe('the offline engine', () => {
  it('proposes each safe fix once, real defects first', async () => {
    const proposed: string[] = [];
    for (;;) {
      const reply = await objective(proposed);
      if (reply.objective === null) {
        expect(reply.rationale).toBe('every fix the offline engine found (6) failed before or is refused by the pre-check (6 failed before)');
        break;
      }
      proposed.push(reply.objective);
    }
    expect(proposed).toEqual([
      'Fix `load` in src/app.ts: make it async, since it uses `await`',
      "Fix the missing import of `add` from './math.js' in src/app.ts",
      'Remove unused variable `label` from src/report.ts (in `total`, cleanup)',
      'Remove unused function `helper` from src/report.ts (cleanup)',
      'Remove unused label `outer` from src/report.ts (cleanup)',
      "Organize the imports of src/report.ts (cleanup): merge the imports from './math.js'; no import is added, removed or reordered",
    ]);
    // Never: the unused `started` (its initializer calls a function) or the unused parameter.
    expect(proposed.some((text) => /started|unusedParameter/.test(text))).toBe(false);
  });

  it('answers the Architect with the plan for its objective, which the pre-check applies exactly', async () => {
    const plan = await architect("Fix the missing import of `add` from './math.js' in src/app.ts");
    expect(plan.patches).toEqual([
      { operation: 'REPLACE', file_path: 'src/app.ts', block_to_replace: 'export async function double(value: number): Promise<number> {', content: 'import { add } from "./math.js";\n\nexport async function double(value: number): Promise<number> {' },
    ]);
    const checked = await precheckPlan(plan, { repoRoot: repo.root, config: configSchema.parse({}) });
    expect(checked.ok && checked.changes.get('src/app.ts')).toBe(`import { add } from "./math.js";\n\n${FILES['src/app.ts']}`);
  });

  it('proposes no change for an objective it did not propose', async () => {
    const plan = await architect('Add a subtract function to src/math.ts');
    expect(plan).toEqual({
      analysis:
        'The offline engine only carries out the objectives it proposes itself (TypeScript language-service fixes); this objective is not one of them, so it proposes no change. Configure an LLM provider for other objectives.',
      patches: [],
    });
  });

  it('says there is nothing to do in a clean workspace', async () => {
    await repo.write('src/report.ts', 'export const REPORT = 1;\n');
    await repo.write('src/app.ts', 'export const APP = 2;\n');
    expect(await objective([])).toEqual({ objective: null, rationale: 'the TypeScript language service reports nothing the offline engine can fix' });
  });
});

describe('changeToPatches', () => {
  it('makes one exact, unique block per changed region, widening repeated lines with context', () => {
    const before = ['a', '}', 'x', '}', 'y', ''].join('\n');
    const after = ['a', '}', 'x', 'y', ''].join('\n');
    expect(changeToPatches('f.ts', before, after)).toEqual([{ operation: 'REPLACE', file_path: 'f.ts', block_to_replace: 'x\n}', content: 'x' }]);
  });

  it('anchors an insertion at the top of the file on the first line', () => {
    expect(changeToPatches('f.ts', 'const a = 1;\n', "import x from 'x';\nconst a = 1;\n")).toEqual([
      { operation: 'REPLACE', file_path: 'f.ts', block_to_replace: 'const a = 1;', content: "import x from 'x';\nconst a = 1;" },
    ]);
  });

  it('deletes whole lines with DELETE_BLOCK', () => {
    expect(changeToPatches('f.ts', "import a from 'a';\nimport b from 'b';\nb();\n", "import b from 'b';\nb();\n")).toEqual([
      { operation: 'DELETE_BLOCK', file_path: 'f.ts', block_to_delete: "import a from 'a';" },
    ]);
  });
});
