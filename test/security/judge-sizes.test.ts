// Sizes in bytes: a plan that writes a 50 MB one-line file (which a line count would let through)
// is refused before it is parsed, and the refused reply is not sent back to the model in the
// next turn. In process, through the library API with a scripted provider behind the real LLM
// client; the resident memory of the CLI on the same reply is measured by `npm run bench`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type LlmProvider, type ProviderRequest } from '../../agent/index.js';
import { silentLogger } from '../llm/llm-test-kit.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const FIFTY_MEGABYTES = 50 * 1024 * 1024;

let repo: TempRepo;
beforeAll(async () => {
  repo = await makeTempRepo({ 'README.md': '# Project\n', 'src/index.js': 'export const answer = 42;\n' });
});
afterAll(async () => {
  await repo.remove();
});

describe('a 50 MB one-line file', () => {
  it('is refused by its size in bytes, and the reply is neither parsed nor repeated to the model', async () => {
    const requests: ProviderRequest[] = [];
    const reply = JSON.stringify({ analysis: 'ship the data inline', patches: [{ operation: 'REPLACE', file_path: 'src/data.js', block_to_replace: null, content: `export const data = "${'x'.repeat(FIFTY_MEGABYTES)}";` }] });
    const provider: LlmProvider = {
      name: 'scripted',
      url: 'scripted://sizes',
      async send(request) {
        requests.push(request);
        return { text: reply, model: 'scripted', usage: { inputTokens: 0, outputTokens: 0 } };
      },
    };
    const agent = await createAgent({
      repoRoot: repo.root,
      config: { llm: { provider: 'openai', cache: { mode: 'off' } }, sandbox: { linkPaths: [], pool: 1 }, architect: { maxReflections: 1 } },
      provider,
      logger: silentLogger,
      ids: () => 'run-1',
    });
    try {
      const record = await agent.runCycle({ objective: 'Add the data table to src/data.js' });
      const bytes = Buffer.byteLength(reply);
      const refusal = `[PATCH_TOO_LARGE] the reply is ${bytes} bytes, more than a plan within guards.maxPlanBytes (2000000 bytes of content) can take (4065536); it was not read`;
      expect([record.outcome, record.reason, record.commit, record.files]).toEqual(['rejected', 'ARCHITECT_FAILED', null, []]);
      expect(record.detail).toBe(`no acceptable patch plan in 2 attempts (PATCH_TOO_LARGE; PATCH_TOO_LARGE)\nattempt 1: ${refusal}\nattempt 2: ${refusal}`);
      expect(requests).toHaveLength(2);
      const second = requests[1]!.messages;
      expect(second[1]).toEqual({ role: 'assistant', content: `(a reply of ${bytes} bytes, too large to repeat)` });
      expect(second.reduce((total, message) => total + message.content.length, 0)).toBeLessThan(10_000);
    } finally {
      await agent.close();
    }
  }, 120_000);
});
