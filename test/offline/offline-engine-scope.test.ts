// What the offline engine says where it has nothing to work on: a repository without TS/JS.
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../agent/config/schema.js';
import { OfflineEngine } from '../../agent/offline/offline-engine.js';
import { silentLogger } from '../llm/llm-test-kit.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

describe('the offline engine on a repository without TypeScript or JavaScript', () => {
  let repo: TempRepo;
  afterEach(async () => repo?.remove());

  it('says it does not apply, and how to use a model instead', async () => {
    repo = await makeTempRepo({ 'src/app.py': 'def main():\n    unused = 1\n', 'tests/test_app.py': 'def test_main():\n    pass\n', 'README.md': '# App\n' });
    const engine = new OfflineEngine({ config: configSchema.parse({}), logger: silentLogger });
    try {
      expect(await engine.proposeObjective(repo.root, [], AbortSignal.timeout(60_000))).toEqual({
        objective: null,
        rationale:
          'the offline engine does not apply to this repository: it fixes what the TypeScript language service finds in TypeScript/JavaScript files, and there are none; set OPENAI_API_KEY or ANTHROPIC_API_KEY (or llm.baseUrl) to use a model',
      });
    } finally {
      await engine.close();
    }
  });
});
