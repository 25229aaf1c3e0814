// The per-extension syntax checkers (strategies/syntax), shared by the pre-check and the
// sandbox `syntax` step: built-in parsers and configured commands run as real processes.
import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../agent/core/errors.js';
import { checkSyntax } from '../../strategies/syntax/check-syntax.js';
import { SyntaxCommandError } from '../../strategies/syntax/command-checker.js';
import { createSyntaxCheckerRegistry, extensionOf } from '../../strategies/syntax/syntax-checker-registry.js';
import { pidsWithArgument, waitFor } from '../sandbox/support/sandbox-fixtures.js';

const builtIns = { commands: {}, timeoutMs: 10_000 };
const python = { commands: { '.py': 'python3 -m py_compile {file}' }, timeoutMs: 10_000 };

describe('checkSyntax', () => {
  it('reports TypeScript, TSX and JavaScript parse errors with positions', async () => {
    const problems = await checkSyntax(
      [
        { path: 'src/ok.ts', content: 'export const a: number = 1;\n' },
        { path: 'src/bad.ts', content: 'export function f( {\n' },
        { path: 'src/view.tsx', content: 'export const v = <div>{x</div>;\n' },
        { path: 'src/old.cjs', content: 'module.exports = {\n  a: 1,,\n};\n' },
      ],
      builtIns,
    );
    expect(problems).toMatchInlineSnapshot(`
      [
        {
          "column": 1,
          "file": "src/bad.ts",
          "line": 2,
          "message": "'}' expected.",
        },
        {
          "column": 25,
          "file": "src/view.tsx",
          "line": 1,
          "message": "'}' expected.",
        },
        {
          "column": 8,
          "file": "src/old.cjs",
          "line": 2,
          "message": "Property assignment expected.",
        },
      ]
    `);
  });

  it('reports JSON errors with line and column, and accepts comments where they are conventional', async () => {
    const problems = await checkSyntax(
      [
        { path: 'package.json', content: '{\n  "name": "x",\n  "private": true,\n}\n' },
        { path: 'empty.json', content: '' },
        { path: 'tsconfig.base.json', content: '{\n  // shared\n  "compilerOptions": {},\n}\n' },
        { path: '.vscode/settings.json', content: '{ /* editor */ "a": 1 }' },
        { path: 'bom.json', content: '\uFEFF{"a": 1}' },
      ],
      builtIns,
    );
    expect(problems).toEqual([
      { file: 'package.json', line: 4, column: 1, message: 'Expected double-quoted property name' },
      { file: 'empty.json', line: 1, column: 1, message: 'Unexpected end of JSON input' },
    ]);
  });

  it('reports YAML errors in any document of a stream', async () => {
    const problems = await checkSyntax([{ path: '.github/ci.yaml', content: 'a: 1\n---\nb: [1, 2\nc: d\n' }], builtIns);
    expect(problems).toEqual([
      { file: '.github/ci.yaml', line: 4, column: 1, message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' },
    ]);
  });

  it('lets files without a checker pass', async () => {
    expect(await checkSyntax([{ path: 'Makefile', content: 'all:\n\t(' }, { path: 'notes.md', content: '# (' }], builtIns)).toEqual([]);
  });

  it('runs the configured command on a temp copy and reports the real path', async () => {
    const problems = await checkSyntax(
      [
        { path: 'tools/ok.py', content: 'print("fine")\n' },
        { path: 'tools/broken.py', content: 'def main(:\n    pass\n' },
      ],
      python,
    );
    expect(problems).toEqual([{ file: 'tools/broken.py', line: 1, message: expect.stringMatching(/^File "tools\/broken\.py", line 1\n[\s\S]*SyntaxError: /) }]);
  });

  it('reports a command that outlives its timeout', async () => {
    const problems = await checkSyntax([{ path: 'slow.py', content: '' }], {
      commands: { '.py': ['python3', '-c', 'import time; time.sleep(30)', '{file}'] },
      timeoutMs: 300,
    });
    expect(problems).toEqual([{ file: 'slow.py', message: 'syntax command "python3 -c import time; time.sleep(30) {file}" timed out after 300 ms' }]);
  });

  it('throws SyntaxCommandError when the configured command cannot start', async () => {
    const checking = checkSyntax([{ path: 'a.py', content: '' }], { commands: { '.py': 'hephaestus-no-such-tool {file}' }, timeoutMs: 5_000 });
    await expect(checking).rejects.toBeInstanceOf(SyntaxCommandError);
    await expect(checking).rejects.toMatchObject({ code: 'SYNTAX_COMMAND_FAILED' });
  });

  it('stops a running command when the signal aborts', async () => {
    const controller = new AbortController();
    // Aborted once the command runs (its process is seen), not after a fixed delay.
    const marker = `hephaestus-syntax-abort-${process.pid}-${Date.now()}`;
    const checking = checkSyntax([{ path: 'slow.py', content: '' }], {
      commands: { '.py': ['python3', '-c', 'import time; time.sleep(30)', marker, '{file}'] },
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    checking.catch(() => undefined);
    await waitFor(async () => (await pidsWithArgument(marker)).length > 0);
    controller.abort();
    await expect(checking).rejects.toBeInstanceOf(AbortedError);
  });
});

describe('syntax checker registry', () => {
  it('maps extensions to checkers, configured commands first', () => {
    const registry = createSyntaxCheckerRegistry({ commands: { '.py': 'python3 -m py_compile {file}', '.JSON': 'jq . {file}' }, timeoutMs: 1_000 });
    expect(Object.fromEntries([...registry].map(([extension, checker]) => [extension, checker.name]))).toMatchInlineSnapshot(`
      {
        ".cjs": "typescript",
        ".cts": "typescript",
        ".js": "typescript",
        ".json": "command: jq . {file}",
        ".jsonc": "json",
        ".jsx": "typescript",
        ".mjs": "typescript",
        ".mts": "typescript",
        ".py": "command: python3 -m py_compile {file}",
        ".ts": "typescript",
        ".tsx": "typescript",
        ".yaml": "yaml",
        ".yml": "yaml",
      }
    `);
    expect(['src/a.TS', 'Makefile', '.eslintrc', 'dir.v2/file'].map(extensionOf)).toEqual(['.ts', '', '', '']);
  });
});
