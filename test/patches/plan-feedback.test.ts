// What the model reads back, word for word, and the overlay's all-or-nothing contract.
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../agent/config/schema.js';
import { AbortedError } from '../../agent/core/errors.js';
import { applyPatchPlan } from '../../agent/patches/apply-patch-plan.js';
import { createOverlay } from '../../agent/patches/overlay.js';
import { formatPlanProblems } from '../../agent/patches/plan-problem.js';
import { parsePatchPlan, type PatchPlan } from '../../agent/patches/plan-schema.js';
import { precheckPlan } from '../../agent/patches/precheck-plan.js';
import { USERS } from '../architect/architect-kit.js';
import { makeTempDir } from '../support/temp-repo.js';

// The same small service module the Architect tests use.
const SERVICE = USERS;

let root: string;
beforeEach(async () => {
  root = await makeTempDir('hephaestus-feedback-');
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'src/users.ts'), SERVICE);
  await writeFile(path.join(root, 'src/other.ts'), 'export const other = 1;\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const config = configSchema.parse({});

async function problemsOf(plan: unknown): Promise<string> {
  const result = await precheckPlan(plan, { repoRoot: root, config });
  if (result.ok) throw new Error('expected the plan to be refused');
  return formatPlanProblems(result.problems);
}

describe('feedback for the model', () => {
  it('names the file and the nearest lines when a block is not found', async () => {
    const feedback = await problemsOf({
      patches: [{ operation: 'REPLACE', file_path: 'src/users.ts', block_to_replace: 'const row = await db.user.find(id);\nreturn row;', content: 'x' }],
    });
    expect(feedback).toMatchInlineSnapshot(`
      "[BLOCK_NOT_FOUND] patch #1: block not found in src/users.ts; nearest lines 4–5:
      4|   const row = await db.users.find(id);
      5|   return row ?? null;
        hint: Copy the text exactly from the current file (indentation and spaces at line ends are tolerated); it must match exactly once."
    `);
  });

  it('lists every match of an ambiguous block', async () => {
    const feedback = await problemsOf({
      patches: [{ operation: 'DELETE_BLOCK', file_path: 'src/users.ts', block_to_delete: '(id: string) {' }],
    });
    expect(feedback).toMatchInlineSnapshot(`
      "[BLOCK_AMBIGUOUS] patch #1: block matches 2 times in src/users.ts (line 3, line 8)
        hint: Include more surrounding lines so the block matches exactly once."
    `);
  });

  it('says when an earlier patch of the plan changed the text being looked for', async () => {
    const feedback = await problemsOf({
      patches: [
        { operation: 'REPLACE', file_path: 'src/users.ts', block_to_replace: 'return row ?? null;', content: 'return row;' },
        { operation: 'REPLACE', file_path: 'src/users.ts', block_to_replace: 'return row ?? null;', content: 'return row ?? undefined;' },
      ],
    });
    expect(feedback).toMatchInlineSnapshot(`
      "[BLOCK_NOT_FOUND] patch #2: block not found in src/users.ts; nearest line 5:
      5|   return row;
        hint: Copy the text exactly from the current file (indentation and spaces at line ends are tolerated); it must match exactly once. Patch #1 of this plan already changed this file; text is matched against the file as patched so far."
    `);
  });

  it('shows the line a syntax error is on', async () => {
    const feedback = await problemsOf({
      patches: [{ operation: 'INSERT', file_path: 'src/users.ts', after: 'return row ?? null;', content: '  if (row {' }],
    });
    expect(feedback).toMatchInlineSnapshot(`
      "[SYNTAX_ERROR] syntax error in src/users.ts line 6, column 11: ')' expected.
      6|   if (row {
        hint: The file as patched does not parse; check brackets, quotes and commas around that line.
      [SYNTAX_ERROR] syntax error in src/users.ts line 12, column 1: '}' expected.
        hint: The file as patched does not parse; check brackets, quotes and commas around that line."
    `);
  });

  it('explains path and schema problems', async () => {
    const feedback = await problemsOf({
      patches: [
        { operation: 'REPLACE', file_path: '../secrets.txt', block_to_replace: null, content: 'x' },
        { operation: 'REPLACE', file_path: '.git/config', block_to_replace: null, content: 'x' },
      ],
    });
    expect(feedback).toMatchInlineSnapshot(`
      "[PATH_REJECTED] patch #1: path "../secrets.txt" contains a ".." segment
        hint: Name files by their path relative to the repository root, as in the file tree.
      [PATH_REJECTED] patch #2: path ".git/config" is inside .git/, which the agent never writes
        hint: Name files by their path relative to the repository root, as in the file tree."
    `);
    expect(await problemsOf({ patches: [{ operation: 'MOVE', file_path: 'a.ts' }] })).toMatchInlineSnapshot(`
      "[PLAN_INVALID] patch #1: patches[0].operation: expected one of INSERT, REPLACE, DELETE_BLOCK, DIFF, received "MOVE"
        hint: Reply with one JSON object {"analysis": string, "patches": [...]} in the documented patch format."
    `);
  });
});

describe('plan schema', () => {
  it('keeps capability_gap and accepts content as lines', () => {
    expect(parsePatchPlan({ analysis: 'a', capability_gap: 'cannot run SQL migrations', patches: [{ operation: 'INSERT', file_path: 'a.ts', content: ['x', 'y'], line_number: null }] })).toEqual({
      ok: true,
      plan: { analysis: 'a', capability_gap: 'cannot run SQL migrations', patches: [{ operation: 'INSERT', file_path: 'a.ts', content: ['x', 'y'] }] },
    });
  });

  it('accepts a parsed plan again unchanged', () => {
    const first = parsePatchPlan({ patches: [{ operation: 'replace', file_path: 'a.ts', block_to_replace: 'a', content: 'b', is_regex: null }] });
    expect(first.ok && parsePatchPlan(first.plan)).toEqual(first);
  });
});

describe('overlay and atomic application', () => {
  const plan = (patches: unknown[]): PatchPlan => {
    const parsed = parsePatchPlan({ analysis: '', patches });
    if (!parsed.ok) throw new Error(`test plan is invalid: ${parsed.problems.map((problem) => problem.message).join('; ')}`);
    return parsed.plan;
  };

  it('reads through to disk, keeps writes in memory and reports net changes', async () => {
    const overlay = createOverlay(root);
    expect(await overlay.read('src/other.ts')).toEqual({ kind: 'text', content: 'export const other = 1;\n' });
    overlay.write('src/other.ts', 'export const other = 2;\n');
    overlay.write('src/new.ts', 'new\n');
    overlay.remove('src/users.ts');
    overlay.write('src/same.ts', 'same\n');
    overlay.remove('src/same.ts');
    expect(await overlay.read('src/other.ts')).toEqual({ kind: 'text', content: 'export const other = 2;\n' });
    expect(await overlay.read('src/users.ts')).toEqual({ kind: 'missing' });
    expect(Object.fromEntries(overlay.changes())).toEqual({
      'src/other.ts': 'export const other = 2;\n',
      'src/new.ts': 'new\n',
      'src/users.ts': null,
      'src/same.ts': null,
    });
    expect(await readFile(path.join(root, 'src/other.ts'), 'utf8')).toBe('export const other = 1;\n');
    expect(() => overlay.write('../escape.ts', 'x')).toThrowError(/PATH|\.\./);
  });

  it('leaves the overlay untouched when a later patch fails', async () => {
    const overlay = createOverlay(root);
    const result = await applyPatchPlan(
      plan([
        { operation: 'REPLACE', file_path: 'src/other.ts', block_to_replace: '1', content: '2' },
        { operation: 'DELETE_BLOCK', file_path: 'src/users.ts', block_to_delete: null },
        { operation: 'INSERT', file_path: 'src/missing.ts', content: 'x' },
      ]),
      overlay,
    );
    expect(result.ok ? result.changes : result.problems.map((problem) => [problem.code, problem.patchIndex])).toEqual([['FILE_NOT_FOUND', 2]]);
    expect(overlay.changes()).toEqual(new Map());
  });

  it('counts changed files and lines', async () => {
    const result = await applyPatchPlan(
      plan([
        { operation: 'REPLACE', file_path: 'src/other.ts', block_to_replace: 'export const other = 1;', content: 'export const other = 2;\nexport const more = 3;' },
        { operation: 'DELETE_BLOCK', file_path: 'src/users.ts', block_to_delete: null },
      ]),
      createOverlay(root),
    );
    expect(result.ok && result.stats).toEqual({ files: 2, changedLines: 3 + SERVICE.split('\n').length - 1 });
  });

  it('stops with AbortedError when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      precheckPlan({ patches: [{ operation: 'INSERT', file_path: 'src/other.ts', content: 'x' }] }, { repoRoot: root, config, signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortedError);
  });
});
