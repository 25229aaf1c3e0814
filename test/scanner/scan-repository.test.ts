import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../agent/config/schema.js';
import { scanRepository } from '../../agent/scanner/scan-repository.js';
import { ScanInputError } from '../../agent/scanner/scanner-errors.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const config = configSchema.parse({ scanner: { maxFileBytes: 2_000 } });

const SHAPES = `// Geometry helpers used by the fixture.
import { clamp } from './util.js';

/** A shape with an area.
 * More text that is not the first sentence. */
export interface Shape {
  /** Area in square units. */
  area(): number;
  name: string;
}

/** Classifies a number. */
export function classify(value: number, strict = false): 'small' | 'large' | 'none' {
  if (value < 0 || strict) return 'none';
  for (const step of [1, 2]) {
    if (step > value) return 'small';
  }
  return value > 10 ? 'large' : 'small';
}

export class Circle implements Shape {
  name = 'circle';
  #secret = 1;
  constructor(private readonly radius: number) {}
  /** Area of the circle. */
  area(): number {
    return Math.PI * clamp(this.radius) ** 2;
  }
  protected hidden(): void {}
  get diameter(): number {
    return this.radius * 2;
  }
}

export const double = (value: number): number => value * 2;
export type Size = 'small' | 'large';
export * from './util.js';
// TODO: support squares
`;

const PYTHON = `class Greeter:
    def __init__(self, name):
        self.name = name

    def greet(self, loud=False):  # says hello
        return self.name

    def _private(self):
        pass

async def main():
    # FIXME: read argv
    pass
`;

describe('scanRepository', () => {
  let repo: TempRepo;
  afterEach(async () => repo?.remove());

  it('lists every file with its skeleton and metrics, and flags the files it does not read', async () => {
    repo = await makeTempRepo({
      'src/shapes.ts': SHAPES,
      'src/util.ts': 'export function clamp(value: number): number {\n  return value < 0 ? 0 : value;\n}\n',
      'src/broken.ts': 'export function broken( {\n',
      'tools/greet.py': PYTHON,
      'notes.md': '# Notes\n<!-- TODO: write notes -->\n',
      'big.txt': 'x'.repeat(3_000),
    });
    await writeFile(path.join(repo.root, 'image.bin'), Buffer.from([0x89, 0x50, 0x00, 0x01]));
    await writeFile(path.join(repo.root, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await symlink('/etc/hostname', path.join(repo.root, 'escape.txt'));
    await repo.write('.hephaestus/state.json', '{}');

    const scan = await scanRepository(repo.root, { config });

    expect(scan.files.map((file) => `${file.path} ${file.status} ${file.language} ${file.lines}`)).toMatchInlineSnapshot(`
      [
        "big.txt too-large text 0",
        "escape.txt symlink text 0",
        "image.bin binary other 0",
        "latin1.txt invalid-utf8 text 0",
        "notes.md text markdown 2",
        "src/broken.ts parsed typescript 1",
        "src/shapes.ts parsed typescript 38",
        "src/util.ts parsed typescript 3",
        "tools/greet.py parsed python 13",
      ]
    `);
    const shapes = scan.files.find((file) => file.path === 'src/shapes.ts')!;
    expect({ summary: shapes.summary, imports: shapes.imports, todos: shapes.todos }).toMatchInlineSnapshot(`
      {
        "imports": [
          "./util.js",
        ],
        "summary": "Geometry helpers used by the fixture.",
        "todos": [
          {
            "line": 38,
            "text": "TODO: support squares",
          },
        ],
      }
    `);
    expect(shapes.symbols).toMatchInlineSnapshot(`
      [
        {
          "doc": "A shape with an area.",
          "kind": "interface",
          "line": 6,
          "members": [
            {
              "doc": "Area in square units.",
              "kind": "method",
              "line": 8,
              "name": "area",
              "signature": "area(): number",
            },
            {
              "kind": "property",
              "line": 9,
              "name": "name",
              "signature": "name: string",
            },
          ],
          "name": "Shape",
          "signature": "interface Shape",
        },
        {
          "doc": "Classifies a number.",
          "kind": "function",
          "line": 13,
          "name": "classify",
          "signature": "function classify(value: number, strict = false): 'small' | 'large' | 'none'",
        },
        {
          "kind": "class",
          "line": 21,
          "members": [
            {
              "kind": "property",
              "line": 22,
              "name": "name",
              "signature": "name = 'circle'",
            },
            {
              "kind": "constructor",
              "line": 24,
              "name": "constructor",
              "signature": "constructor(private readonly radius: number)",
            },
            {
              "doc": "Area of the circle.",
              "kind": "method",
              "line": 26,
              "name": "area",
              "signature": "area(): number",
            },
            {
              "kind": "accessor",
              "line": 30,
              "name": "diameter",
              "signature": "get diameter(): number",
            },
          ],
          "name": "Circle",
          "signature": "class Circle implements Shape",
        },
        {
          "kind": "variable",
          "line": 35,
          "name": "double",
          "signature": "const double = (value: number): number =>",
        },
        {
          "kind": "type",
          "line": 36,
          "name": "Size",
          "signature": "type Size = 'small' | 'large'",
        },
        {
          "kind": "re-export",
          "line": 37,
          "name": "*",
          "signature": "export * from './util.js';",
        },
      ]
    `);
    expect(shapes.functions).toMatchInlineSnapshot(`
      [
        {
          "complexity": 6,
          "kind": "function",
          "length": 7,
          "line": 13,
          "name": "classify",
        },
        {
          "complexity": 1,
          "kind": "constructor",
          "length": 1,
          "line": 24,
          "name": "Circle.constructor",
        },
        {
          "complexity": 1,
          "kind": "method",
          "length": 3,
          "line": 26,
          "name": "Circle.area",
        },
        {
          "complexity": 1,
          "kind": "method",
          "length": 1,
          "line": 29,
          "name": "Circle.hidden",
        },
        {
          "complexity": 1,
          "kind": "accessor",
          "length": 3,
          "line": 30,
          "name": "Circle.diameter",
        },
        {
          "complexity": 1,
          "kind": "arrow",
          "length": 1,
          "line": 35,
          "name": "double",
        },
      ]
    `);
    expect(scan.files.find((file) => file.path === 'src/broken.ts')!.syntaxErrors).toMatchInlineSnapshot(`
      [
        {
          "column": 1,
          "line": 2,
          "message": "'}' expected.",
        },
      ]
    `);
    const python = scan.files.find((file) => file.path === 'tools/greet.py')!;
    expect({ symbols: python.symbols, todos: python.todos }).toMatchInlineSnapshot(`
      {
        "symbols": [
          {
            "kind": "class",
            "line": 1,
            "members": [
              {
                "kind": "constructor",
                "line": 2,
                "name": "__init__",
                "signature": "def __init__(self, name)",
              },
              {
                "kind": "method",
                "line": 5,
                "name": "greet",
                "signature": "def greet(self, loud=False)",
              },
            ],
            "name": "Greeter",
            "signature": "class Greeter",
          },
          {
            "kind": "function",
            "line": 11,
            "name": "main",
            "signature": "async def main()",
          },
        ],
        "todos": [
          {
            "line": 12,
            "text": "FIXME: read argv",
          },
        ],
      }
    `);
    expect(scan.files.find((file) => file.path === 'notes.md')!.todos).toEqual([{ line: 2, text: 'TODO: write notes' }]);
    expect(scan.graph).toEqual({ imports: { 'src/shapes.ts': ['src/util.ts'] }, importedBy: { 'src/util.ts': ['src/shapes.ts'] } });
    expect(scan.stats).toMatchObject({ files: 9, parsed: 5, cacheHits: 0, skipped: 4 });
  });

  it('scans the given files only, and rejects paths outside the repository', async () => {
    repo = await makeTempRepo({ 'a.ts': 'export const a = 1;\n', 'b.ts': 'export const b = 2;\n' });
    const scan = await scanRepository(repo.root, { config, files: ['./b.ts'] });
    expect(scan.files.map((file) => file.path)).toEqual(['b.ts']);
    await expect(scanRepository(repo.root, { config, files: ['../outside.ts'] })).rejects.toThrow(ScanInputError);
    await expect(scanRepository(repo.root, { config, files: ['/etc/passwd'] })).rejects.toThrow(
      'file to scan "/etc/passwd" must be a path relative to the repository root, like "src/a.ts".',
    );
  });

  it('stops with an AbortedError when its signal is aborted', async () => {
    repo = await makeTempRepo({ 'a.ts': 'export const a = 1;\n' });
    await expect(scanRepository(repo.root, { config, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'HEPHAESTUS_ABORTED' });
  });
});
