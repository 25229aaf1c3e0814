// The pull request's title and body are pure functions of the run: exact expectations.
import { describe, expect, it } from 'vitest';
import { compareUrl, githubRepositoryOf } from '../../agent/ci/github-remote.js';
import { renderPullRequestBody, renderPullRequestTitle, type PullRequestContent } from '../../agent/ci/render-pull-request.js';
import { DEFAULT_STRATEGIES } from '../../agent/config/schema.js';
import type { CycleRecord } from '../../agent/cycle/cycle-record.js';
import { cycleRecord } from '../support/cycle-records.js';

function cycle(n: number, fields: Partial<CycleRecord>): CycleRecord {
  return cycleRecord({ n, ...fields });
}

const content: PullRequestContent = {
  branch: 'hephaestus/evolve',
  base: 'main',
  cycles: [
    cycle(1, { objective: 'Add a subtract function to src/math.ts', strategy: 'SYNTAX_AND_TESTS', outcome: 'committed', commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', llm: { calls: 3, cacheHits: 0, tokensIn: 1800, tokensOut: 450, cachedTokensIn: 0, cost: 0 } }),
    cycle(2, { objective: 'Rewrite add | carefully\nin two lines', strategy: 'FULL_VALIDATION', outcome: 'rejected', reason: 'TESTS_FAILED', llm: { calls: 2, cacheHits: 1, tokensIn: 900, tokensOut: 120, cachedTokensIn: 0, cost: 0 } }),
    cycle(3, { objective: 'Document the API', strategy: 'DOC_UPDATE', outcome: 'committed', commit: 'ffeeddccbbaa99887766554433221100ffeeddcc', llm: { calls: 1, cacheHits: 0, tokensIn: 300, tokensOut: 40, cachedTokensIn: 0, cost: 0 } }),
    cycle(4, { outcome: 'skipped', reason: 'NOTHING_TO_DO' }),
  ],
  commits: [
    { sha: 'ffeeddccbbaa99887766554433221100ffeeddcc', subject: 'docs: document the API' },
    { sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', subject: 'feat: add a subtract function' },
    { sha: '0123456789abcdef0123456789abcdef01234567', subject: 'fix: an earlier run' },
  ],
  strategies: DEFAULT_STRATEGIES,
  stopReason: 'ci.maxFilesPerRun 30 reached (30 files changed by this run)',
};

describe('pull request text', () => {
  it('tables the cycles and lists every commit of the branch', () => {
    expect(renderPullRequestTitle(content)).toBe('Hephaestus: 3 validated commits on hephaestus/evolve');
    expect(renderPullRequestBody(content)).toBe(
      [
        'Opened by Hephaestus, a self-evolving code agent. Every commit passed its validation strategy in a sandbox before it was committed; review it like any other change before merging.',
        '',
        '## This run',
        '',
        '| # | objective | outcome | strategy | tests | tokens |',
        '|---|---|---|---|---|---|',
        '| 1 | Add a subtract function to src/math.ts | committed `a1b2c3d4e5f6` | SYNTAX_AND_TESTS | passed | 2,250 |',
        '| 2 | Rewrite add \\| carefully in two lines | rejected (TESTS_FAILED) | FULL_VALIDATION | failed | 1,020 |',
        '| 3 | Document the API | committed `ffeeddccbbaa` | DOC_UPDATE | not run | 340 |',
        '| 4 | — | skipped (NOTHING_TO_DO) | — | — | 0 |',
        '',
        '4 cycles, 2 committed, 3,610 tokens, $0.0000. Stopped early: ci.maxFilesPerRun 30 reached (30 files changed by this run).',
        '',
        '**Outcomes:** 2 committed, 1 rejected, 0 failed, 1 skipped. Reasons: `NOTHING_TO_DO` 1, `TESTS_FAILED` 1.',
        '',
        '```mermaid',
        'pie showData title Cycle outcomes',
        '  "committed" : 2',
        '  "rejected" : 1',
        '  "skipped" : 1',
        '```',
        '',
        'The whole history, with charts and diffs, is one page: `hephaestus report` (kept as a build artifact by the scheduled workflow).',
        '',
        '## Commits on `hephaestus/evolve`',
        '',
        '- `ffeeddccbbaa` docs: document the API',
        '- `a1b2c3d4e5f6` feat: add a subtract function',
        '- `0123456789ab` fix: an earlier run',
        '',
      ].join('\n'),
    );
  });

  it('says so when the branch has no commits yet', () => {
    const empty = { ...content, cycles: [], commits: [], stopReason: null };
    expect(renderPullRequestTitle(empty)).toBe('Hephaestus: 0 validated commits on hephaestus/evolve');
    expect(renderPullRequestBody(empty).split('\n').slice(4)).toEqual([
      '| # | objective | outcome | strategy | tests | tokens |',
      '|---|---|---|---|---|---|',
      '',
      '0 cycles, 0 committed, 0 tokens, $0.0000.',
      '',
      '## Commits on `hephaestus/evolve`',
      '',
      'None yet.',
      '',
    ]);
  });
});

describe('GitHub remotes', () => {
  it('recognises https, ssh and scp-like URLs, and nothing else', () => {
    expect(githubRepositoryOf('https://github.com/acme/widget.git')).toEqual({ owner: 'acme', name: 'widget' });
    expect(githubRepositoryOf('https://x-access-token:abc@github.com/acme/widget')).toEqual({ owner: 'acme', name: 'widget' });
    expect(githubRepositoryOf('git@github.com:acme/widget.git')).toEqual({ owner: 'acme', name: 'widget' });
    expect(githubRepositoryOf('ssh://git@github.com/acme/my.widget.git')).toEqual({ owner: 'acme', name: 'my.widget' });
    expect(githubRepositoryOf('/tmp/origin.git')).toBeNull();
    expect(githubRepositoryOf('https://github.com.evil.example/acme/widget.git')).toBeNull();
  });

  it('builds the compare URL with or without a base', () => {
    const repository = { owner: 'acme', name: 'widget' };
    expect(compareUrl(repository, 'hephaestus/evolve', 'main')).toBe('https://github.com/acme/widget/compare/main...hephaestus/evolve?expand=1');
    expect(compareUrl(repository, 'hephaestus/evolve', null)).toBe('https://github.com/acme/widget/compare/hephaestus/evolve?expand=1');
  });
});
