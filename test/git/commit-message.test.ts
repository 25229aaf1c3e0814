// Commit messages: the Conventional Commits template, sanitising of model-written messages,
// and the fallback to the template when the model fails. The LLM is a fake LlmClient (an
// interface fake, not a module mock).
import { describe, expect, it } from 'vitest';
import { sanitiseCommitMessage, templateCommitMessage, writeCommitMessage } from '../../agent/git/commit-message.js';
import type { CompletionRequest, CompletionResult, LlmClient } from '../../agent/llm/types.js';
import { silentLogger } from '../sandbox/support/sandbox-fixtures.js';

function fakeLlm(reply: (request: CompletionRequest) => string): LlmClient & { requests: CompletionRequest[] } {
  const requests: CompletionRequest[] = [];
  return {
    provider: 'fake',
    requests,
    async complete(request): Promise<CompletionResult> {
      requests.push(request);
      return { text: reply(request), model: 'light', usage: { inputTokens: 1, outputTokens: 1 }, cost: 0, cached: false, latencyMs: 0, attempts: 1, cacheKey: null };
    },
    async invalidate() {},
    usage: () => ({ calls: requests.length, cacheHits: 0, tokensIn: 0, tokensOut: 0, cost: 0 }),
    async close() {},
  };
}

describe('templateCommitMessage', () => {
  it('derives type and scope from the files and the objective', () => {
    expect(templateCommitMessage({ objective: 'Add a multiply helper.', files: ['src/math.ts', 'src/index.ts'] })).toBe(
      'feat(src): add a multiply helper\n\nAdd a multiply helper.\n\nFiles:\n- src/math.ts\n- src/index.ts\n',
    );
    const subjects = [
      templateCommitMessage({ objective: 'Fix the off-by-one in paging', files: ['src/page.ts', 'lib/x.ts'] }),
      templateCommitMessage({ objective: 'Cover slugify edge cases', files: ['test/slugify.test.ts'] }),
      templateCommitMessage({ objective: 'Document the CLI', files: ['README.md', 'docs/cli.md'] }),
      templateCommitMessage({ objective: 'Bump the target', files: ['tsconfig.json'] }),
      templateCommitMessage({ objective: 'Simplify the parser', files: ['agent/parse.ts'] }),
    ].map((message) => message.split('\n')[0]);
    expect(subjects).toEqual(['fix: fix the off-by-one in paging', 'test(test): cover slugify edge cases', 'docs: document the CLI', 'chore: bump the target', 'refactor(agent): simplify the parser']);
  });

  it('keeps the subject within 72 characters, cut at a word boundary', () => {
    const objective = 'Add a configurable retry policy with exponential backoff and jitter to every outgoing request of the client';
    const subject = templateCommitMessage({ objective, files: ['src/client.ts'] }).split('\n')[0]!;
    expect(subject).toBe('feat(src): add a configurable retry policy with exponential backoff…');
    expect(subject.length).toBeLessThanOrEqual(72);
  });
});

describe('sanitiseCommitMessage', () => {
  it('drops reasoning, fences, preambles and markdown', () => {
    const reply = '<think>The user wants a message. Let me think.</think>\nHere is the commit message:\n```\n**feat(src): add `multiply` helper**\n\nAdds multiply next to add.\n```\n';
    expect(sanitiseCommitMessage(reply, 'feat(src)')).toBe('feat(src): add multiply helper\n\nAdds multiply next to add.\n');
  });

  it('prefixes a subject that is not conventional and shortens a long one', () => {
    expect(sanitiseCommitMessage('# Add multiply helper.', 'feat(src)')).toBe('feat(src): add multiply helper\n');
    const long = sanitiseCommitMessage(`fix: ${'very '.repeat(30)}long`, 'fix')!;
    expect(long.trimEnd().length).toBeLessThanOrEqual(72);
    expect(sanitiseCommitMessage('<think>only thoughts</think>\n\n', 'feat')).toBe(null);
  });
});

describe('writeCommitMessage', () => {
  const input = { objective: 'Add a multiply helper', files: ['src/math.ts'], logger: silentLogger };

  it('asks the light model and sanitises its reply', async () => {
    const llm = fakeLlm(() => 'feat(math): add multiply\n\nNeeded by the calculator.');
    expect(await writeCommitMessage({ ...input, mode: 'llm', llm, diff: '+export const multiply' })).toBe('feat(math): add multiply\n\nNeeded by the calculator.\n');
    expect(llm.requests.map((request) => [request.role, request.purpose, request.responseFormat])).toEqual([['light', 'commit-message', 'text']]);
    expect(llm.requests[0]!.messages[0]!.content).toBe('Objective: Add a multiply helper\n\nFiles:\nsrc/math.ts\n\nDiff:\n+export const multiply');
  });

  it('falls back to the template when the model fails or writes nothing usable', async () => {
    const template = templateCommitMessage(input);
    const failing = fakeLlm(() => {
      throw new Error('HTTP 500');
    });
    expect(await writeCommitMessage({ ...input, mode: 'llm', llm: failing })).toBe(template);
    expect(await writeCommitMessage({ ...input, mode: 'llm', llm: fakeLlm(() => '```\n```') })).toBe(template);
    expect(await writeCommitMessage({ ...input, mode: 'template', llm: fakeLlm(() => 'feat: ignored') })).toBe(template);
  });
});

describe('long objectives', () => {
  it('shorten the subject by dropping the parenthetical, then paths, then cutting with an ellipsis', async () => {
    const { fitSubject } = await import('../../agent/git/commit-message.js');
    expect(fitSubject('fix', 'fix the missing `await` in src/inventory.js (canOrder)')).toBe('fix: fix the missing `await` in src/inventory.js (canOrder)');
    expect(fitSubject('refactor', 'remove unused import `EXIT` from agent/cli/commands/demo-command.ts (cleanup)')).toBe(
      'refactor: remove unused import `EXIT` from demo-command.ts',
    );
    expect(fitSubject('refactor(agent)', 'remove unused import `EXIT` from agent/cli/commands/demo-command.ts (cleanup)')).toBe(
      'refactor(agent): remove unused import `EXIT` from demo-command.ts',
    );
    const cut = fitSubject('refactor', 'simplify the extremely long and convoluted function computeEverything in agent/deep/module.ts without changing what it returns');
    expect(cut).toBe('refactor: simplify the extremely long and convoluted function…');
    expect(cut.length).toBeLessThanOrEqual(72);
  });
});
