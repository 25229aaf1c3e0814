import { describe, expect, it } from 'vitest';
import { configSchema } from '../../agent/config/schema.js';
import { scanRepository } from '../../agent/scanner/scan-repository.js';
import { decodeFiles, encodeFiles } from '../../agent/scanner/snapshot-codec.js';
import { makeTempRepo } from '../support/temp-repo.js';

describe('snapshot codec', () => {
  it('gives back exactly the files it encoded, every optional field included', async () => {
    const repo = await makeTempRepo({
      'src/service.ts': [
        '// Serves requests.',
        "import { helper } from './helper.js';",
        '/** A service. Second sentence. */',
        'export class Service {',
        '  /** Handles one. */',
        '  handle(input: string): string { return input ? helper(input) : ""; }',
        '}',
        '// TODO: batch requests',
        'export const broken = (;',
        '',
      ].join('\n'),
      'src/helper.ts': 'export function helper(value: string) { return value; }\n',
      'test/service.test.ts': "import { Service } from '../src/service.js';\nnew Service();\n",
      'tools/run.py': 'def main():\n    pass\n',
      'notes.md': '# Notes\n',
      'assets/logo.bin': 'a\u0000b',
    });
    try {
      const { files } = await scanRepository(repo.root, { config: configSchema.parse({}) });
      const service = files.find((file) => file.path === 'src/service.ts')!;
      // The fixture exercises what the codec has to carry.
      expect([service.summary, service.symbols[0]?.doc, service.symbols[0]?.members?.length, service.todos.length, service.syntaxErrors.length > 0]).toEqual([
        'Serves requests.',
        'A service.',
        1,
        1,
        true,
      ]);
      expect(files.map((file) => file.status).sort()).toEqual(['binary', 'parsed', 'parsed', 'parsed', 'parsed', 'text']);

      const decoded = decodeFiles(JSON.parse(JSON.stringify(encodeFiles(files))));
      expect(decoded).toStrictEqual(files);
    } finally {
      await repo.remove();
    }
  });

  it('rejects a row whose shape is not the written one', () => {
    const good = encodeFiles([{ path: 'a.ts', language: 'typescript', status: 'parsed', bytes: 1, isTest: false, lines: 1, todos: [], symbols: [], functions: [], syntaxErrors: [], imports: [] }]);
    expect(decodeFiles(good)).toHaveLength(1);
    expect(decodeFiles({ files: good })).toBeNull();
    expect(decodeFiles([[...good[0]!.slice(0, 11)]])).toBeNull();
    expect(decodeFiles([good[0]!.map((value, position) => (position === 3 ? '1' : value))])).toBeNull();
    expect(decodeFiles([good[0]!.map((value, position) => (position === 9 ? [['f', 'function', 1, 1]] : value))])).toBeNull();
  });
});
