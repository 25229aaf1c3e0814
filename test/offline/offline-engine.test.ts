// The offline engine through the LLM client, as the cycle calls it: no key and no base URL
// resolve to it; objectives come one at a time in a fixed order, each reproducible as a plan.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../agent/config/schema.js';
import { createLlmClient } from '../../agent/llm/create-llm-client.js';
import type { LlmClient } from '../../agent/llm/types.js';
import { changeToPatches } from '../../agent/offline/changes-to-patches.js';
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
let llm: LlmClient;
beforeEach(async () => {
  repo = await makeTempRepo(FILES);
  llm = await createLlmClient({ config: configSchema.parse({}), apiKeys: { openai: null, anthropic: null }, stateDir: null, logger: silentLogger });
});
afterEach(async () => {
  await llm.close();
  await repo.remove();
});

const signal = () => AbortSignal.timeout(60_000);

async function objective(skipObjectives: string[]) {
  const result = await llm.complete({ role: 'main', purpose: 'objective', system: 'Choose.', messages: [{ role: 'user', content: 'Choose the next objective.' }], workspace: repo.root, skipObjectives, signal: signal() });
  return JSON.parse(result.text) as { objective: string | null; rationale: string; files?: string[] };
}

async function architect(objectiveText: string) {
  const system = `You are the Architect.\n\n## Objective\n\n${objectiveText}\nFiles: src/report.ts\n\n## Lessons\n`;
  const result = await llm.complete({ role: 'main', purpose: 'architect', system, messages: [{ role: 'user', content: 'Write the patch plan.' }], workspace: repo.root, signal: signal() });
  return JSON.parse(result.text) as { analysis: string; patches: unknown[] };
}

describe('the offline engine', () => {
  it('is the provider without a key or base URL, and proposes each safe fix once, real defects first', async () => {
    expect(llm.provider).toBe('offline');
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
