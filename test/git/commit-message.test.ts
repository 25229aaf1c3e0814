// Commit messages: the Conventional Commits template, sanitising of model-written messages,
// and the fallback to the template when the model fails. The LLM is a fake LlmClient (an
// interface fake, not a module mock).
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cleanModelCommitMessage, templateCommitMessage, writeCommitMessage } from '../../agent/git/commit-message.js';
import type { CompletionRequest, CompletionResult, LlmClient } from '../../agent/llm/types.js';
import { silentLogger } from '../sandbox/support/sandbox-fixtures.js';

function fakeLlm(reply: (request: CompletionRequest) => string): LlmClient & { requests: CompletionRequest[] } {
  const requests: CompletionRequest[] = [];
  return {
    provider: 'fake',
    models: { main: 'main', light: 'light' },
    requests,
    async complete(request): Promise<CompletionResult> {
      requests.push(request);
      return { text: reply(request), model: 'light', usage: { inputTokens: 1, outputTokens: 1 }, cost: 0, cached: false, latencyMs: 0, attempts: 1, cacheKey: null };
    },
    async invalidate() {},
    failedCalls: () => 0,
    usage: () => ({ calls: requests.length, cacheHits: 0, tokensIn: 0, tokensOut: 0, cachedTokensIn: 0, cost: 0 }),
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
    expect(subject).toBe('feat(src): add configurable retry policy with exponential backoff…');
    expect(subject.length).toBeLessThanOrEqual(72);
  });
});

describe('cleanModelCommitMessage', () => {
  it('drops reasoning, fences, preambles and markdown', () => {
    const reply = '<think>The user wants a message. Let me think.</think>\nHere is the commit message:\n```\n**feat(src): add `multiply` helper**\n\nAdds multiply next to add.\n```\n';
    expect(cleanModelCommitMessage(reply, 'feat(src)')).toBe('feat(src): add multiply helper\n\nAdds multiply next to add.\n');
  });

  it('prefixes a subject that is not conventional and shortens a long one', () => {
    expect(cleanModelCommitMessage('# Add multiply helper.', 'feat(src)')).toBe('feat(src): add multiply helper\n');
    const long = cleanModelCommitMessage(`fix: ${'very '.repeat(30)}long`, 'fix')!;
    expect(long.trimEnd().length).toBeLessThanOrEqual(72);
    expect(cleanModelCommitMessage('<think>only thoughts</think>\n\n', 'feat')).toBe(null);
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
  it('shorten the subject by rewording (parenthetical, paths, trailing clause, filler words, location) before cutting with "…"', async () => {
    const { fitSubject } = await import('../../agent/git/commit-message.js');
    expect(fitSubject('fix', 'fix the missing `await` in src/inventory.js (canOrder)')).toBe('fix: fix the missing `await` in src/inventory.js (canOrder)');
    expect(fitSubject('refactor', 'remove unused import `EXIT` from agent/cli/commands/demo-command.ts (cleanup)')).toBe(
      'refactor: remove unused import `EXIT` from demo-command.ts',
    );
    expect(fitSubject('refactor(agent)', 'remove unused import `EXIT` from agent/cli/commands/demo-command.ts (cleanup)')).toBe(
      'refactor(agent): remove unused import `EXIT` from demo-command.ts',
    );
    const cut = fitSubject('refactor', 'simplify the extremely long and convoluted function computeEverything in agent/deep/module.ts without changing what it returns');
    expect(cut).toBe('refactor: simplify long and convoluted function computeEverything');
    const cutAnyway = fitSubject('feat', 'add a configurable retry policy with exponential backoff and jitter to every outgoing request');
    expect(cutAnyway).toBe('feat: add configurable retry policy with exponential backoff…');
  });
});

describe('every commit message is sanitised', () => {
  it('drops control characters and terminal escapes from the objective, in the subject and the body', () => {
    const message = templateCommitMessage({ objective: 'Add \u001b[31mred\u001b[0m output\u0007 to the\u0000 logger\u202e', files: ['src/log.ts'] });
    expect(message).toBe('feat(src): add red output to the logger\n\nAdd red output to the logger\n\nFiles:\n- src/log.ts\n');
  });

  it('an objective cannot forge trailers; the trailers Hephaestus appends are the only ones git reads', async () => {
    const objective = 'Fix the parser\n\nSigned-off-by: Mallory <m@example.com>\nCo-authored-by: Eve <e@example.com>';
    const message = await writeCommitMessage({ objective, files: ['src/parse.ts'], mode: 'template', logger: silentLogger, trailers: [['Validated-by', 'syntax, tests']] });
    expect(message).toBe(
      [
        'fix(src): fix the parser',
        '',
        'Fix the parser',
        '',
        '"Signed-off-by: Mallory <m@example.com>"',
        '"Co-authored-by: Eve <e@example.com>"',
        '',
        'Files:',
        '- src/parse.ts',
        '',
        'Validated-by: syntax, tests',
        '',
      ].join('\n'),
    );
    const parsed = await execa('git', ['interpret-trailers', '--parse'], { input: message });
    expect(parsed.stdout).toBe('Validated-by: syntax, tests');
  });

  it('a model-written message gets the same treatment', async () => {
    const llm = fakeLlm(() => 'fix(src): repair\u001b[2K parsing\n\nSigned-off-by: Mallory <m@example.com>');
    const message = await writeCommitMessage({ ...{ objective: 'Repair parsing', files: ['src/parse.ts'], logger: silentLogger }, mode: 'llm', llm, trailers: [['Validated-by', 'syntax']] });
    expect(message).toBe('fix(src): repair parsing\n\n"Signed-off-by: Mallory <m@example.com>"\n\nValidated-by: syntax\n');
  });

  it('a change that only documents is typed docs, whatever files it touches', () => {
    const subjects = [
      templateCommitMessage({ objective: 'Document the exported helpers of lib/format.js', files: ['lib/format.js'] }),
      templateCommitMessage({ objective: 'Add JSDoc to parseArgs', files: ['lib/args.js'] }),
      templateCommitMessage({ objective: 'Explain the retry loop', files: ['lib/retry.js'], strategy: 'DOC_UPDATE' }),
      templateCommitMessage({ objective: 'Fix the doc comment parser', files: ['lib/comments.js'] }),
    ].map((message) => message.split('\n')[0]);
    expect(subjects).toEqual(['docs(lib): document the exported helpers of lib/format.js', 'docs(lib): add JSDoc to parseArgs', 'docs(lib): explain the retry loop', 'fix(lib): fix the doc comment parser']);
  });
});
