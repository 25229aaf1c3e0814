// The plan table: each case is a small repository on disk, a plan, and either the exact
// changes the pre-check produces or the exact reason codes it refuses the plan with.
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema, type ConfigInput } from '../../agent/config/schema.js';
import { precheckPlan } from '../../agent/patches/precheck-plan.js';
import type { PlanProblem } from '../../agent/patches/plan-problem.js';
import { makeTempDir } from '../support/temp-repo.js';

type ExpectedProblem = Pick<PlanProblem, 'code'> & Partial<Pick<PlanProblem, 'file' | 'patchIndex' | 'line'>>;

interface PlanCase {
  name: string;
  files?: Record<string, string | Buffer>;
  /** Extra set-up in the repository root, e.g. symbolic links. */
  setup?: (root: string) => Promise<void>;
  config?: ConfigInput;
  plan: unknown;
  changes?: Record<string, string | null>;
  problems?: ExpectedProblem[];
}

const SOURCE = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
const LINES = 'one\ntwo\nthree\n';

const cases: PlanCase[] = [
  // Each operation on success.
  {
    name: 'INSERT at a line number puts the content on that line',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'INSERT', file_path: 'notes.txt', line_number: 2, content: 'one and a half' }] },
    changes: { 'notes.txt': 'one\none and a half\ntwo\nthree\n' },
  },
  {
    name: 'INSERT at the line after the last appends',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'INSERT', file_path: 'notes.txt', line_number: 4, content: 'four\n' }] },
    changes: { 'notes.txt': 'one\ntwo\nthree\nfour\n' },
  },
  {
    name: 'INSERT without a position appends',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'INSERT', file_path: 'notes.txt', content: ['four', 'five'] }] },
    changes: { 'notes.txt': 'one\ntwo\nthree\nfour\nfive\n' },
  },
  {
    name: 'INSERT after an anchor that ends mid-line goes after that line',
    files: { 'src/add.ts': SOURCE },
    plan: { patches: [{ operation: 'INSERT', file_path: 'src/add.ts', after: 'return a', content: '  // unreachable' }] },
    changes: { 'src/add.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n  // unreachable\n}\n' },
  },
  {
    name: 'INSERT after a multi-line anchor ending with a newline',
    files: { 'src/add.ts': SOURCE },
    plan: { patches: [{ operation: 'INSERT', file_path: 'src/add.ts', after: '  return a + b;\n}\n', content: 'export const zero = 0;' }] },
    changes: { 'src/add.ts': `${SOURCE}export const zero = 0;\n` },
  },
  {
    name: 'REPLACE an exact multi-line block',
    files: { 'src/add.ts': SOURCE },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'src/add.ts', block_to_replace: '{\n  return a + b;\n}', content: '{\n  return b + a;\n}' }] },
    changes: { 'src/add.ts': 'export function add(a: number, b: number): number {\n  return b + a;\n}\n' },
  },
  {
    name: 'REPLACE matches whitespace-tolerantly line by line',
    files: { 'src/add.ts': SOURCE },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'src/add.ts', block_to_replace: 'return   a + b;  \n', content: '  return a + b + 0;\n' }] },
    changes: { 'src/add.ts': 'export function add(a: number, b: number): number {\n  return a + b + 0;\n}\n' },
  },
  {
    name: 'REPLACE with a null block creates a file, content as given',
    plan: { patches: [{ operation: 'REPLACE', file_path: 'src/deep/new.ts', block_to_replace: null, content: 'export const x = 1;\n' }] },
    changes: { 'src/deep/new.ts': 'export const x = 1;\n' },
  },
  {
    name: 'REPLACE with a null block and an array of lines ends the file with a newline',
    plan: { patches: [{ operation: 'REPLACE', file_path: 'README.md', block_to_replace: null, content: ['# Title', '', 'Text.'] }] },
    changes: { 'README.md': '# Title\n\nText.\n' },
  },
  {
    name: 'DELETE_BLOCK of whole lines takes their line break',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'DELETE_BLOCK', file_path: 'notes.txt', block_to_delete: 'two' }] },
    changes: { 'notes.txt': 'one\nthree\n' },
  },
  {
    name: 'DELETE_BLOCK of the last line of a file without final newline',
    files: { 'notes.txt': 'one\ntwo' },
    plan: { patches: [{ operation: 'DELETE_BLOCK', file_path: 'notes.txt', block_to_delete: 'two' }] },
    changes: { 'notes.txt': 'one' },
  },
  {
    name: 'DELETE_BLOCK with a null block deletes the file',
    files: { 'old.txt': 'gone\n', 'keep.txt': 'kept\n' },
    plan: { patches: [{ operation: 'DELETE_BLOCK', file_path: 'old.txt', block_to_delete: null }] },
    changes: { 'old.txt': null },
  },
  {
    name: 'DIFF applies even when the hunk header counts are wrong',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'DIFF', file_path: 'notes.txt', diff: '--- a/notes.txt\n+++ b/notes.txt\n@@ -1,9 +1,9 @@\n one\n-two\n+TWO\n three\n' }] },
    changes: { 'notes.txt': 'one\nTWO\nthree\n' },
  },
  {
    name: 'DIFF from /dev/null creates a file',
    plan: { patches: [{ operation: 'DIFF', file_path: 'docs/new.md', diff: '--- /dev/null\n+++ b/docs/new.md\n@@ -0,0 +1,2 @@\n+# New\n+Text\n' }] },
    changes: { 'docs/new.md': '# New\nText\n' },
  },
  // Line endings, final newlines, encoding.
  {
    name: 'CRLF stays CRLF when a block is replaced',
    files: { 'win.ts': 'const a = 1;\r\nconst b = 2;\r\n' },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'win.ts', block_to_replace: 'const b = 2;', content: 'const b = 3;\nconst c = 4;' }] },
    changes: { 'win.ts': 'const a = 1;\r\nconst b = 3;\r\nconst c = 4;\r\n' },
  },
  {
    name: 'CRLF stays CRLF for inserted lines, and a CRLF block matches',
    files: { 'win.ts': 'const a = 1;\r\nconst b = 2;\r\n' },
    plan: { patches: [{ operation: 'INSERT', file_path: 'win.ts', after: 'const a = 1;\r\n', content: ['// between'] }] },
    changes: { 'win.ts': 'const a = 1;\r\n// between\r\nconst b = 2;\r\n' },
  },
  {
    name: 'a file without a final newline keeps none after a replace',
    files: { 'a.ts': 'const a = 1;\nconst b = 2;' },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'a.ts', block_to_replace: 'const b = 2;', content: 'const b = 3;\n' }] },
    changes: { 'a.ts': 'const a = 1;\nconst b = 3;' },
  },
  {
    name: 'a file without a final newline keeps none after an append',
    files: { 'a.ts': 'const a = 1;' },
    plan: { patches: [{ operation: 'INSERT', file_path: 'a.ts', content: 'const b = 2;' }] },
    changes: { 'a.ts': 'const a = 1;\nconst b = 2;' },
  },
  {
    name: 'a UTF-8 byte order mark is kept',
    files: { 'data.json': '\uFEFF{ "a": 1 }\n' },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'data.json', block_to_replace: '"a": 1', content: '"a": 2' }] },
    changes: { 'data.json': '\uFEFF{ "a": 2 }\n' },
  },
  {
    name: 'unicode text is matched and written as is',
    files: { 'i18n.ts': 'export const greeting = "héllo wörld 🌍";\nexport const 名前 = "名前";\n' },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'i18n.ts', block_to_replace: '"héllo wörld 🌍"', content: '"¡hola, mundo! 🌎"' }] },
    changes: { 'i18n.ts': 'export const greeting = "¡hola, mundo! 🌎";\nexport const 名前 = "名前";\n' },
  },
  // Regex, sequencing, tolerance of the reply.
  {
    name: 'a regex matching once replaces, and the content is literal ($1 stays $1)',
    files: { 'a.ts': 'const price = 10;\nconst tax = 2;\n' },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'a.ts', block_to_replace: 'price = \\d+', is_regex: true, content: 'price = `$1`' }] },
    changes: { 'a.ts': 'const price = `$1`;\nconst tax = 2;\n' },
  },
  {
    name: 'overlapping patches apply in order: the second edits what the first inserted',
    files: { 'notes.txt': LINES },
    plan: {
      patches: [
        { operation: 'INSERT', file_path: 'notes.txt', line_number: 1, content: 'zero' },
        { operation: 'REPLACE', file_path: 'notes.txt', block_to_replace: 'zero\none', content: 'ZERO\nONE' },
      ],
    },
    changes: { 'notes.txt': 'ZERO\nONE\ntwo\nthree\n' },
  },
  {
    name: 'a lower-case operation and extra keys are accepted',
    files: { 'notes.txt': LINES },
    plan: { analysis: 'x', confidence: 0.9, patches: [{ operation: 'delete_block', file_path: './notes.txt', block_to_delete: 'three', reason: 'r' }] },
    changes: { 'notes.txt': 'one\ntwo\n' },
  },
  {
    name: 'deleting and re-creating a file in one plan rewrites it',
    files: { 'notes.txt': LINES },
    plan: {
      patches: [
        { operation: 'DELETE_BLOCK', file_path: 'notes.txt', block_to_delete: null },
        { operation: 'REPLACE', file_path: 'notes.txt', block_to_replace: null, content: 'fresh\n' },
      ],
    },
    changes: { 'notes.txt': 'fresh\n' },
  },
  {
    name: 'a new test file may be created',
    files: { 'src/add.ts': SOURCE },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'src/add.test.ts', block_to_replace: null, content: "import { add } from './add.js';\n" }] },
    changes: { 'src/add.test.ts': "import { add } from './add.js';\n" },
  },
  {
    name: 'an existing test file may change when guards.allowTestEdits is true',
    files: { 'test/add.test.ts': 'it("adds", () => {});\n' },
    config: { guards: { allowTestEdits: true } },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'test/add.test.ts', block_to_replace: '"adds"', content: '"adds two numbers"' }] },
    changes: { 'test/add.test.ts': 'it("adds two numbers", () => {});\n' },
  },
  {
    name: 'tsconfig.json may hold comments and trailing commas',
    config: { guards: { allowJudgeEdits: true } },
    files: { 'tsconfig.json': '{\n  // strict\n  "compilerOptions": { "strict": true },\n}\n' },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'tsconfig.json', block_to_replace: '"strict": true', content: '"strict": true, "noEmit": true,' }] },
    changes: { 'tsconfig.json': '{\n  // strict\n  "compilerOptions": { "strict": true, "noEmit": true, },\n}\n' },
  },
  // Matching failures.
  {
    name: 'a block that is not there',
    files: { 'src/add.ts': SOURCE },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'src/add.ts', block_to_replace: 'return a - b;', content: 'return 0;' }] },
    problems: [{ code: 'BLOCK_NOT_FOUND', file: 'src/add.ts', patchIndex: 0, line: 2 }],
  },
  {
    name: 'a block that matches twice exactly',
    files: { 'a.ts': 'let x = 1;\nlet y = 2;\nlet x2 = 1;\n' },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'a.ts', block_to_replace: ' = 1;', content: ' = 3;' }] },
    problems: [{ code: 'BLOCK_AMBIGUOUS', file: 'a.ts', patchIndex: 0, line: 1 }],
  },
  {
    name: 'a block that matches twice only when whitespace is ignored',
    files: { 'a.ts': 'if (a) {\n  go();\n}\nif (b) {\n    go();\n}\n' },
    plan: { patches: [{ operation: 'DELETE_BLOCK', file_path: 'a.ts', block_to_delete: ' go(); ' }] },
    problems: [{ code: 'BLOCK_AMBIGUOUS', file: 'a.ts', patchIndex: 0, line: 2 }],
  },
  {
    name: 'an anchor that is not there',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'INSERT', file_path: 'notes.txt', after: 'four', content: 'five' }] },
    problems: [{ code: 'BLOCK_NOT_FOUND', file: 'notes.txt', patchIndex: 0, line: 1 }],
  },
  {
    name: 'a regex that matches nothing',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'DELETE_BLOCK', file_path: 'notes.txt', block_to_delete: '^f\\w+$', is_regex: true }] },
    problems: [{ code: 'BLOCK_NOT_FOUND', file: 'notes.txt', patchIndex: 0 }],
  },
  {
    name: 'a regex that matches twice',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'DELETE_BLOCK', file_path: 'notes.txt', block_to_delete: '^t\\w+$', is_regex: true }] },
    problems: [{ code: 'BLOCK_AMBIGUOUS', file: 'notes.txt', patchIndex: 0, line: 2 }],
  },
  {
    name: 'an invalid regex',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'DELETE_BLOCK', file_path: 'notes.txt', block_to_delete: '(unclosed', is_regex: true }] },
    problems: [{ code: 'PLAN_INVALID', file: 'notes.txt', patchIndex: 0 }],
  },
  {
    name: 'overlapping patches: the second looks for text the first replaced',
    files: { 'notes.txt': LINES },
    plan: {
      patches: [
        { operation: 'REPLACE', file_path: 'notes.txt', block_to_replace: 'two', content: 'deux' },
        { operation: 'REPLACE', file_path: 'notes.txt', block_to_replace: 'two\nthree', content: 'deux\ntrois' },
      ],
    },
    problems: [{ code: 'BLOCK_NOT_FOUND', file: 'notes.txt', patchIndex: 1, line: 2 }],
  },
  {
    name: 'a DIFF hunk whose context is not in the file',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'DIFF', file_path: 'notes.txt', diff: '@@ -1,2 +1,2 @@\n uno\n-dos\n+DOS\n' }] },
    problems: [{ code: 'BLOCK_NOT_FOUND', file: 'notes.txt', patchIndex: 0, line: 1 }],
  },
  {
    name: 'a patch that changes nothing',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'notes.txt', block_to_replace: 'two', content: 'two' }] },
    problems: [{ code: 'PATCH_NO_EFFECT', file: 'notes.txt', patchIndex: 0 }],
  },
  // Files that are, or are not, there.
  {
    name: 'a whole-file REPLACE rewrites an existing file',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'notes.txt', block_to_replace: null, content: ['uno', 'dos'] }] },
    changes: { 'notes.txt': 'uno\ndos\n' },
  },
  {
    name: 'a whole-file REPLACE of a CRLF file with a BOM keeps both',
    files: { 'win.txt': '\uFEFFone\r\ntwo\r\n' },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'win.txt', block_to_replace: null, content: 'uno\ndos\n' }] },
    changes: { 'win.txt': '\uFEFFuno\r\ndos\r\n' },
  },
  {
    name: 'a whole-file REPLACE with the same text changes nothing',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'notes.txt', block_to_replace: null, content: LINES }] },
    problems: [{ code: 'PATCH_NO_EFFECT', file: 'notes.txt', patchIndex: 0 }],
  },
  {
    name: 'a whole-file REPLACE is counted by its diff for the size guard',
    files: { 'long.txt': `${Array.from({ length: 30 }, (_, index) => `line ${index}`).join('\n')}\n` },
    config: { guards: { maxChangedLines: 2 } },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'long.txt', block_to_replace: null, content: `${Array.from({ length: 30 }, (_, index) => (index === 7 ? 'LINE 7' : `line ${index}`)).join('\n')}\n` }] },
    changes: { 'long.txt': `${Array.from({ length: 30 }, (_, index) => (index === 7 ? 'LINE 7' : `line ${index}`)).join('\n')}\n` },
  },
  {
    name: 'a whole-file REPLACE past the size guard is refused',
    files: { 'long.txt': `${Array.from({ length: 30 }, (_, index) => `line ${index}`).join('\n')}\n` },
    config: { guards: { maxChangedLines: 2 } },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'long.txt', block_to_replace: null, content: 'short\n' }] },
    problems: [{ code: 'PATCH_TOO_LARGE' }],
  },
  {
    name: 'deleting a file that does not exist',
    plan: { patches: [{ operation: 'DELETE_BLOCK', file_path: 'missing.txt', block_to_delete: null }] },
    problems: [{ code: 'FILE_NOT_FOUND', file: 'missing.txt', patchIndex: 0 }],
  },
  {
    name: 'replacing a block in a file that does not exist',
    plan: { patches: [{ operation: 'REPLACE', file_path: 'src/missing.ts', block_to_replace: 'x', content: 'y' }] },
    problems: [{ code: 'FILE_NOT_FOUND', file: 'src/missing.ts', patchIndex: 0 }],
  },
  {
    name: 'inserting past the end of a file',
    files: { 'notes.txt': LINES },
    plan: { patches: [{ operation: 'INSERT', file_path: 'notes.txt', line_number: 9, content: 'nine' }] },
    problems: [{ code: 'LINE_OUT_OF_RANGE', file: 'notes.txt', patchIndex: 0, line: 9 }],
  },
  {
    name: 'patching a binary file',
    files: { 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]) },
    plan: { patches: [{ operation: 'INSERT', file_path: 'logo.png', content: 'x' }] },
    problems: [{ code: 'FILE_NOT_TEXT', file: 'logo.png', patchIndex: 0 }],
  },
  {
    name: 'a plan whose third patch fails applies nothing',
    files: { 'a.txt': 'a\n', 'b.txt': 'b\n' },
    plan: {
      patches: [
        { operation: 'REPLACE', file_path: 'a.txt', block_to_replace: 'a', content: 'A' },
        { operation: 'REPLACE', file_path: 'c.txt', block_to_replace: null, content: 'c\n' },
        { operation: 'REPLACE', file_path: 'b.txt', block_to_replace: 'nope', content: 'B' },
      ],
    },
    problems: [{ code: 'BLOCK_NOT_FOUND', file: 'b.txt', patchIndex: 2, line: 1 }],
  },
  // Path guards.
  {
    name: 'an absolute path',
    plan: { patches: [{ operation: 'REPLACE', file_path: '/etc/hostname', block_to_replace: null, content: 'x' }] },
    problems: [{ code: 'PATH_REJECTED', file: '/etc/hostname', patchIndex: 0 }],
  },
  {
    name: 'a Windows absolute path',
    plan: { patches: [{ operation: 'REPLACE', file_path: 'C:\\Windows\\x.txt', block_to_replace: null, content: 'x' }] },
    problems: [{ code: 'PATH_REJECTED', file: 'C:\\Windows\\x.txt', patchIndex: 0 }],
  },
  {
    name: 'a path climbing out with ..',
    plan: { patches: [{ operation: 'REPLACE', file_path: 'src/../../outside.txt', block_to_replace: null, content: 'x' }] },
    problems: [{ code: 'PATH_REJECTED', file: 'src/../../outside.txt', patchIndex: 0 }],
  },
  {
    name: 'a path into .git/',
    plan: { patches: [{ operation: 'REPLACE', file_path: '.git/hooks/pre-commit', block_to_replace: null, content: 'x' }] },
    problems: [{ code: 'PATH_REJECTED', file: '.git/hooks/pre-commit', patchIndex: 0 }],
  },
  {
    name: 'a path into .GIT/ in another case',
    plan: { patches: [{ operation: 'REPLACE', file_path: '.GIT/config', block_to_replace: null, content: 'x' }] },
    problems: [{ code: 'PATH_REJECTED', file: '.GIT/config', patchIndex: 0 }],
  },
  {
    name: 'a path into a nested .git/',
    plan: { patches: [{ operation: 'REPLACE', file_path: 'vendor/lib/.git/config', block_to_replace: null, content: 'x' }] },
    problems: [{ code: 'PATH_REJECTED', file: 'vendor/lib/.git/config', patchIndex: 0 }],
  },
  {
    name: 'a path into .hephaestus/',
    plan: { patches: [{ operation: 'REPLACE', file_path: '.Hephaestus/memory.json', block_to_replace: null, content: '{}' }] },
    problems: [{ code: 'PATH_REJECTED', file: '.Hephaestus/memory.json', patchIndex: 0 }],
  },
  {
    name: 'an empty path and a path with a NUL byte',
    plan: {
      patches: [
        { operation: 'REPLACE', file_path: '', block_to_replace: null, content: 'x' },
        { operation: 'REPLACE', file_path: 'a\0.txt', block_to_replace: null, content: 'x' },
      ],
    },
    problems: [
      { code: 'PATH_REJECTED', file: '', patchIndex: 0 },
      { code: 'PATH_REJECTED', file: 'a\0.txt', patchIndex: 1 },
    ],
  },
  {
    name: 'a path through a directory symlink pointing outside the repository',
    setup: async (root) => {
      await mkdir(`${root}-outside`, { recursive: true });
      await symlink(`${root}-outside`, path.join(root, 'linked'));
    },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'linked/escape.txt', block_to_replace: null, content: 'x' }] },
    problems: [{ code: 'PATH_REJECTED', file: 'linked/escape.txt', patchIndex: 0 }],
  },
  {
    name: 'a path through a symlink into .git/',
    setup: async (root) => {
      await mkdir(path.join(root, '.git', 'hooks'), { recursive: true });
      await symlink(path.join(root, '.git', 'hooks'), path.join(root, 'hooks'));
    },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'hooks/pre-commit', block_to_replace: null, content: 'x' }] },
    problems: [{ code: 'PATH_REJECTED', file: 'hooks/pre-commit', patchIndex: 0 }],
  },
  {
    name: 'a file that is itself a symlink',
    files: { 'real.txt': LINES },
    setup: async (root) => symlink('real.txt', path.join(root, 'alias.txt')),
    plan: { patches: [{ operation: 'DELETE_BLOCK', file_path: 'alias.txt', block_to_delete: 'two' }] },
    problems: [{ code: 'PATH_REJECTED', file: 'alias.txt', patchIndex: 0 }],
  },
  // Configured guards.
  {
    name: 'a configured protected glob',
    files: { 'migrations/001.sql': 'create table t (id int);\n' },
    config: { guards: { protectedPaths: ['migrations/**'] } },
    plan: { patches: [{ operation: 'DELETE_BLOCK', file_path: 'migrations/001.sql', block_to_delete: null }] },
    problems: [{ code: 'PROTECTED_PATH', file: 'migrations/001.sql', patchIndex: 0 }],
  },
  {
    name: "the agent's own configuration is always protected",
    files: { 'hephaestus.config.json': '{}\n' },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'hephaestus.config.json', block_to_replace: '{}', content: '{ "validation": {} }' }] },
    problems: [{ code: 'PROTECTED_PATH', file: 'hephaestus.config.json', patchIndex: 0 }],
  },
  {
    name: 'more files than guards.maxFiles',
    config: { guards: { maxFiles: 2 } },
    plan: { patches: ['a', 'b', 'c'].map((name) => ({ operation: 'REPLACE', file_path: `${name}.txt`, block_to_replace: null, content: 'x\n' })) },
    problems: [{ code: 'PATCH_TOO_LARGE' }],
  },
  {
    name: 'more changed lines than guards.maxChangedLines',
    config: { guards: { maxChangedLines: 5 } },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'big.txt', block_to_replace: null, content: Array.from({ length: 6 }, (_, index) => `line ${index}`) }] },
    problems: [{ code: 'PATCH_TOO_LARGE' }],
  },
  {
    name: 'modifying an existing test file',
    files: { 'src/add.test.ts': 'expect(add(1, 2)).toBe(3);\n' },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'src/add.test.ts', block_to_replace: 'toBe(3)', content: 'toBeDefined()' }] },
    problems: [{ code: 'TEST_EDIT_REJECTED', file: 'src/add.test.ts', patchIndex: 0 }],
  },
  {
    name: 'deleting an existing test file matched by a configured glob',
    files: { 'checks/add.check.ts': 'check();\n' },
    config: { validation: { tests: { files: ['checks/**/*.check.ts'] } } },
    plan: { patches: [{ operation: 'DELETE_BLOCK', file_path: 'checks/add.check.ts', block_to_delete: null }] },
    problems: [{ code: 'TEST_EDIT_REJECTED', file: 'checks/add.check.ts', patchIndex: 0 }],
  },
  // Syntax of every touched file.
  {
    name: 'a TypeScript file that no longer parses',
    files: { 'src/add.ts': SOURCE },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'src/add.ts', block_to_replace: 'return a + b;', content: 'return a +;' }] },
    problems: [{ code: 'SYNTAX_ERROR', file: 'src/add.ts', line: 2 }],
  },
  {
    name: 'a JSX file parsed as .js',
    files: { 'view.js': 'export const view = <div>hi</div>;\n' },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'view.js', block_to_replace: '<div>hi</div>', content: '<div>hi</span>' }] },
    problems: [{ code: 'SYNTAX_ERROR', file: 'view.js', line: 1 }],
  },
  {
    name: 'a JSON file with a trailing comma',
    files: { 'package.json': '{\n  "name": "x"\n}\n' },
    plan: { patches: [{ operation: 'INSERT', file_path: 'package.json', after: '"name": "x"', content: '  ,"private": true,' }] },
    problems: [{ code: 'SYNTAX_ERROR', file: 'package.json', line: 4 }],
  },
  {
    name: 'a YAML file with a broken flow sequence',
    files: { 'ci.yml': 'steps:\n  - run: test\n' },
    plan: { patches: [{ operation: 'INSERT', file_path: 'ci.yml', content: 'matrix: [1, 2' }] },
    problems: [{ code: 'SYNTAX_ERROR', file: 'ci.yml', line: 4 }],
  },
  {
    name: 'a Python file checked by the configured command',
    config: { validation: { syntax: { commands: { '.py': 'python3 -m py_compile {file}' } } } },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'tools/gen.py', block_to_replace: null, content: 'def main(:\n    pass\n' }] },
    problems: [{ code: 'SYNTAX_ERROR', file: 'tools/gen.py', line: 1 }],
  },
  {
    name: 'a valid Python file passes the configured command',
    config: { validation: { syntax: { commands: { '.py': ['python3', '-m', 'py_compile', '{file}'] } } } },
    plan: { patches: [{ operation: 'REPLACE', file_path: 'tools/gen.py', block_to_replace: null, content: 'def main():\n    pass\n' }] },
    changes: { 'tools/gen.py': 'def main():\n    pass\n' },
  },
  // Schema.
  {
    name: 'a reply without patches',
    plan: { analysis: 'nothing to do' },
    problems: [{ code: 'PLAN_INVALID' }],
  },
  {
    name: 'an unknown operation and a missing block',
    plan: {
      patches: [
        { operation: 'RENAME', file_path: 'a.ts' },
        { operation: 'REPLACE', file_path: 'b.ts', content: 'x' },
      ],
    },
    problems: [
      { code: 'PLAN_INVALID', file: 'a.ts', patchIndex: 0 },
      { code: 'PLAN_INVALID', file: 'b.ts', patchIndex: 1 },
    ],
  },
];

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.flatMap((root) => [rm(root, { recursive: true, force: true }), rm(`${root}-outside`, { recursive: true, force: true })]));
});

describe('patch plan pre-check', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('$name', async (planCase) => {
    const root = await makeTempDir('hephaestus-plan-');
    roots.push(root);
    for (const [file, content] of Object.entries(planCase.files ?? {})) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), content);
    }
    await planCase.setup?.(root);

    const result = await precheckPlan(planCase.plan, { repoRoot: root, config: configSchema.parse(planCase.config ?? {}) });

    if (planCase.changes) {
      expect(result.ok ? Object.fromEntries(result.changes) : result.problems).toEqual(planCase.changes);
    } else {
      expect(result.ok ? Object.fromEntries(result.changes) : result.problems.map(pickExpected)).toEqual(planCase.problems);
    }
    // The pre-check never writes the working tree.
    for (const [file, content] of Object.entries(planCase.files ?? {})) {
      expect(await readFile(path.join(root, file))).toEqual(Buffer.from(content));
    }
  });
});

function pickExpected(problem: PlanProblem): ExpectedProblem {
  return {
    code: problem.code,
    ...(problem.file === undefined ? {} : { file: problem.file }),
    ...(problem.patchIndex === undefined ? {} : { patchIndex: problem.patchIndex }),
    ...(problem.line === undefined ? {} : { line: problem.line }),
  };
}
