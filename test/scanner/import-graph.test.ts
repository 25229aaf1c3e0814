import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../agent/config/schema.js';
import { affectedTests, untestedModules } from '../../agent/scanner/import-graph.js';
import { scanRepository } from '../../agent/scanner/scan-repository.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const config = configSchema.parse({});

// core.ts ← lib/index.ts (re-export) ← feature.ts ← test/feature.test.ts
//                                     ← test/lib.test.ts (imports the directory)
// helpers.ts ← @app/helpers (tsconfig paths) ← test/paths.spec.ts
// orphan.ts is imported by nothing.
const FILES: Record<string, string> = {
  'tsconfig.json': '{\n  // comments are allowed here\n  "compilerOptions": { "baseUrl": ".", "paths": { "@app/*": ["src/*"] } }\n}\n',
  'src/lib/core.ts': 'export const core = 1;\n',
  'src/lib/index.ts': "export * from './core.js';\nexport { core as renamed } from './core.js';\n",
  'src/feature.ts': "import { core } from './lib/index.js';\nexport const feature = () => core;\n",
  'src/helpers.ts': 'export const helper = 2;\n',
  'src/orphan.ts': 'export const orphan = 3;\n',
  'src/lazy.ts': "export async function load() {\n  return import('./feature.js');\n}\n",
  'test/feature.test.ts': "import { feature } from '../src/feature.js';\nfeature();\n",
  'test/lib.test.ts': "import { core } from '../src/lib';\nvoid core;\n",
  'test/paths.spec.ts': "import { helper } from '@app/helpers';\nimport 'node:fs';\nimport 'zod';\nvoid helper;\n",
  'test/unrelated.test.ts': 'export {};\n',
};

describe('import graph', () => {
  let repo: TempRepo;
  afterEach(async () => repo?.remove());

  it('finds the tests affected by a change through re-exports, index files and tsconfig paths', async () => {
    repo = await makeTempRepo(FILES);
    const scan = await scanRepository(repo.root, { config });

    expect(scan.graph.imports).toEqual({
      'src/feature.ts': ['src/lib/index.ts'],
      'src/lazy.ts': ['src/feature.ts'],
      'src/lib/index.ts': ['src/lib/core.ts'],
      'test/feature.test.ts': ['src/feature.ts'],
      'test/lib.test.ts': ['src/lib/index.ts'],
      'test/paths.spec.ts': ['src/helpers.ts'],
    });
    // Nearest first: lib.test.ts imports the index directly, feature.test.ts one step further.
    expect(affectedTests(scan, ['src/lib/core.ts'])).toEqual(['test/lib.test.ts', 'test/feature.test.ts']);
    expect(affectedTests(scan, ['src/helpers.ts'])).toEqual(['test/paths.spec.ts']);
    expect(affectedTests(scan, ['src/orphan.ts', 'src/deleted.ts'])).toEqual([]);
    expect(affectedTests(scan, ['test/unrelated.test.ts', './src/feature.ts'])).toEqual(['test/unrelated.test.ts', 'test/feature.test.ts']);
  });

  it('lists the modules no test reaches', async () => {
    repo = await makeTempRepo(FILES);
    const scan = await scanRepository(repo.root, { config });
    expect(untestedModules(scan)).toEqual(['src/lazy.ts', 'src/orphan.ts']);
  });

  it('rejects changed paths that are not repository-relative', async () => {
    repo = await makeTempRepo({ 'a.ts': 'export {};\n' });
    const scan = await scanRepository(repo.root, { config });
    expect(() => affectedTests(scan, ['../a.ts'])).toThrow('changed file "../a.ts" points outside the repository; pass a path inside it, relative to its root.');
  });
});
