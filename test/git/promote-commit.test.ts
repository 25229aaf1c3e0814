// Validation → commit → promotion → sanity, the way a cycle strings them together, on real
// repositories: the branch gets exactly the planned diff; a failing change leaves it alone;
// a branch moved underneath is never overwritten; every checkout of the branch is fast-forwarded
// only when clean, and a dirty one keeps the branch where it is (the commit is held); a failed
// sanity step is reverted.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../agent/config/schema.js';
import { templateCommitMessage } from '../../agent/git/commit-message.js';
import { DEFAULT_AUTHOR } from '../../agent/git/git-environment.js';
import { resolveBranchBase } from '../../agent/git/resolve-branch-base.js';
import { promoteCommit } from '../../agent/promotion/promote-commit.js';
import { runSanityStep } from '../../agent/promotion/run-sanity-step.js';
import { runStrategy } from '../../strategies/run-strategy.js';
import { changeSet, makeSandboxFixture, silentLogger, type SandboxFixture } from '../sandbox/support/sandbox-fixtures.js';

const BRANCH = 'hephaestus/evolve';
const PROJECT = {
  'src/math.mjs': 'export const add = (a, b) => a + b;\n',
  'src/notes.txt': 'notes\n',
  'test/math.test.mjs': "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { add } from '../src/math.mjs';\ntest('adds numbers', () => assert.equal(add(2, 3), 5));\n",
};
const CONFIG: ConfigInput = {
  sandbox: { linkPaths: [] },
  validation: { tests: { command: 'node --test {files}', workers: 1, retryFailed: false } },
  strategies: { definitions: { QUICK: { steps: ['syntax'], sanity: 'tests' } } },
};
const GOOD = changeSet({ 'src/math.mjs': 'export const add = (a, b) => a + b;\nexport const multiply = (a, b) => a * b;\n', 'src/notes.txt': null });
const BREAKING = changeSet({ 'src/math.mjs': 'export const add = (a, b) => a - b;\n' });

const fixtures: SandboxFixture[] = [];
afterEach(async () => {
  for (const fixture of fixtures.splice(0)) await fixture.repo.remove();
});

async function fixture(): Promise<SandboxFixture> {
  const made = await makeSandboxFixture(PROJECT, CONFIG);
  fixtures.push(made);
  return made;
}

/** One cycle's validation and promotion; `beforePromote` lets a test move the branch. */
async function evolve(fixture: SandboxFixture, changes: Map<string, string | null>, strategy: string, beforePromote?: () => Promise<void>) {
  const { repo, pool, config } = fixture;
  const signal = AbortSignal.timeout(60_000);
  const base = await resolveBranchBase(repo.root, BRANCH, signal);
  const sandbox = await pool.acquire(base.commit, signal);
  try {
    await sandbox.materialize(changes);
    const context = { sandbox, changes, config, signal, logger: silentLogger };
    const validation = await runStrategy(strategy, context);
    if (!validation.ok) return { validation, promotion: null, sanity: null };
    const files = [...changes.keys()];
    const commit = await sandbox.commit(templateCommitMessage({ objective: 'Add a multiply helper', files }), changes, signal);
    await beforePromote?.();
    const promotion = await promoteCommit({ repoRoot: repo.root, branch: BRANCH, commit, expectedTip: base.expectedTip, logger: silentLogger, signal });
    const sanity = await runSanityStep({ ...context, strategy, repoRoot: repo.root, promotion, author: DEFAULT_AUTHOR });
    return { validation, promotion, sanity };
  } finally {
    pool.release(sandbox);
  }
}

describe('promotion', () => {
  it('puts one commit with exactly the planned diff on a branch created from HEAD; uncommitted user work is untouched', async () => {
    const made = await fixture();
    const { repo } = made;
    const head = await repo.git('rev-parse', 'HEAD');
    await repo.write('src/math.mjs', 'export const add = (a, b) => a + b; // my local edit\n');
    const before = await readFile(path.join(repo.root, 'src/math.mjs'));

    const { validation, promotion, sanity } = await evolve(made, GOOD, 'SYNTAX_AND_TESTS');
    expect(validation.ok).toBe(true);
    expect(promotion).toMatchObject({ branch: BRANCH, previousTip: null, created: true, checkout: 'not-checked-out' });
    // The tip holds exactly the validated tree and SYNTAX_AND_TESTS already ran the tests there.
    expect(sanity).toEqual({
      ok: true,
      reason: null,
      step: {
        step: 'tests:affected',
        ok: true,
        reason: null,
        durationMs: 0,
        skipped: true,
        outputTail: `the new tip ${promotion!.tip.slice(0, 12)} holds exactly the validated tree, where SYNTAX_AND_TESTS already ran tests:affected`,
      },
      reversion: null,
    });
    expect(await repo.git('rev-list', '--count', `${head}..${BRANCH}`)).toBe('1');
    expect(await repo.git('rev-parse', `${BRANCH}^`)).toBe(head);
    expect(await repo.git('diff', head, BRANCH)).toBe(
      [
        'diff --git a/src/math.mjs b/src/math.mjs',
        'index d0f87bf..5c2a634 100644',
        '--- a/src/math.mjs',
        '+++ b/src/math.mjs',
        '@@ -1 +1,2 @@',
        ' export const add = (a, b) => a + b;',
        '+export const multiply = (a, b) => a * b;',
        'diff --git a/src/notes.txt b/src/notes.txt',
        'deleted file mode 100644',
        'index bfa6551..0000000',
        '--- a/src/notes.txt',
        '+++ /dev/null',
        '@@ -1 +0,0 @@',
        '-notes',
      ].join('\n'),
    );
    expect(await repo.git('log', '-1', '--format=%an <%ae>%n%s', BRANCH)).toBe('Hephaestus <hephaestus@localhost>\nfeat(src): add a multiply helper');
    expect((await readFile(path.join(repo.root, 'src/math.mjs'))).equals(before)).toBe(true);
    expect(await repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(await repo.git('status', '--porcelain')).toBe(' M src/math.mjs');
  });

  it('leaves the branch unchanged when the tests fail', async () => {
    const made = await fixture();
    await made.repo.git('branch', BRANCH);
    const tip = await made.repo.git('rev-parse', BRANCH);
    const { validation, promotion } = await evolve(made, BREAKING, 'SYNTAX_AND_TESTS');
    expect([validation.reason, promotion]).toEqual(['TESTS_FAILED', null]);
    expect(validation.steps.at(-1)!.outputTail).toMatch(/^not ok 1 - adds numbers$/m);
    expect(await made.repo.git('rev-parse', BRANCH)).toBe(tip);
  });

  it('refuses with BRANCH_MOVED when the branch moved during validation, and keeps both commits', async () => {
    const made = await fixture();
    const { repo } = made;
    await repo.git('branch', BRANCH);
    let moved = '';
    const attempt = evolve(made, GOOD, 'SYNTAX_AND_TESTS', async () => {
      await repo.git('checkout', '-q', BRANCH);
      await repo.write('README.md', 'someone else\n');
      moved = await repo.commitAll('someone else moved the branch');
      await repo.git('checkout', '-q', 'main');
    });
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'BRANCH_MOVED', details: { branch: BRANCH, actualTip: moved } });
    expect(await repo.git('rev-parse', BRANCH)).toBe(moved);
    const validated = (error as { details: { commit: string } }).details.commit;
    expect(await repo.git('cat-file', '-t', validated)).toBe('commit');
  });

  it('fast-forwards the user checkout of the branch when it is clean', async () => {
    const made = await fixture();
    const { repo } = made;
    await repo.git('checkout', '-q', '-b', BRANCH);
    const { promotion } = await evolve(made, GOOD, 'SYNTAX_AND_TESTS');
    expect(promotion).toMatchObject({ checkout: 'fast-forwarded', checkoutNote: null });
    expect(await readFile(path.join(repo.root, 'src/math.mjs'), 'utf8')).toBe(GOOD.get('src/math.mjs'));
    expect(await repo.git('status', '--porcelain')).toBe('');
  });

  it('keeps the commit on its own ref when the user checkout of the branch is dirty, and says how to pick it up', async () => {
    const made = await fixture();
    const { repo } = made;
    await repo.git('checkout', '-q', '-b', BRANCH);
    const before = await repo.git('rev-parse', BRANCH);
    await repo.write('test/math.test.mjs', '// my unfinished edit\n');
    const { promotion } = await evolve(made, GOOD, 'SYNTAX_AND_TESTS');
    expect([promotion?.checkout, promotion?.held, promotion?.ref]).toEqual(['left-untouched', true, `refs/hephaestus/held/${BRANCH}`]);
    expect(promotion?.checkoutNote).toBe(
      `${BRANCH} is checked out in ${repo.root} (it has uncommitted changes), so the branch was not moved and no checkout was touched. ` +
        `The validated commit ${promotion!.tip.slice(0, 12)} is kept on refs/hephaestus/held/${BRANCH}, and the next cycles build on it. ` +
        `To take it, keep your work aside and fast-forward: git -C ${repo.root} stash && git -C ${repo.root} merge --ff-only refs/hephaestus/held/${BRANCH} && git -C ${repo.root} stash pop ` +
        `(or commit your work, then: git -C ${repo.root} merge refs/hephaestus/held/${BRANCH}).`,
    );
    // The branch did not move under the checkout: it shows exactly the user's own change.
    expect([await repo.git('rev-parse', BRANCH), await repo.git('status', '--porcelain')]).toEqual([before, ' M test/math.test.mjs']);
    expect(await repo.git('rev-parse', `refs/hephaestus/held/${BRANCH}`)).toBe(promotion?.tip);

    // The next cycle builds on the held commit; once the checkout is clean, the branch takes both.
    await repo.git('checkout', '--', 'test/math.test.mjs');
    const next = await evolve(made, changeSet({ 'src/notes.txt': 'new notes\n' }), 'SYNTAX_AND_TESTS');
    expect([next.promotion?.checkout, next.promotion?.held, next.promotion?.previousTip]).toEqual(['fast-forwarded', false, promotion?.tip]);
    expect(await repo.git('log', '--format=%H', `${before}..${BRANCH}`)).toBe(`${next.promotion!.tip}\n${promotion!.tip}`);
    expect([await repo.git('status', '--porcelain'), await repo.git('for-each-ref', 'refs/hephaestus/')]).toEqual(['', '']);
    expect(await readFile(path.join(repo.root, 'src/notes.txt'), 'utf8')).toBe('new notes\n');
  });

  it('fast-forwards a clean linked worktree of the branch and holds the commit for a dirty one', async () => {
    const made = await fixture();
    const { repo } = made;
    await repo.git('branch', BRANCH);
    const linked = `${repo.root}-linked`;
    await repo.git('worktree', 'add', '-q', linked, BRANCH);
    try {
      const clean = await evolve(made, GOOD, 'SYNTAX_AND_TESTS');
      expect([clean.promotion?.checkout, clean.promotion?.held]).toEqual(['fast-forwarded', false]);
      expect([await readFile(path.join(linked, 'src/math.mjs'), 'utf8'), await repo.git('-C', linked, 'status', '--porcelain')]).toEqual([GOOD.get('src/math.mjs'), '']);

      await writeFile(path.join(linked, 'src/math.mjs'), 'export const add = (a, b) => a + b; // mine\n');
      const dirty = await evolve(made, changeSet({ 'README.md': '# Math\n' }), 'SYNTAX_AND_TESTS');
      expect([dirty.promotion?.held, await repo.git('rev-parse', BRANCH), await repo.git('-C', linked, 'status', '--porcelain')]).toEqual([true, clean.promotion?.tip, ' M src/math.mjs']);
      expect(dirty.promotion?.checkoutNote).toContain(`${BRANCH} is checked out in ${linked} (it has uncommitted changes)`);
    } finally {
      await repo.git('worktree', 'remove', '--force', linked);
    }
  });

  it('reverts the promoted commit when the sanity step fails on the new tip (REGRESSION_ROLLED_BACK)', async () => {
    const made = await fixture();
    const { repo } = made;
    const head = await repo.git('rev-parse', 'HEAD');
    const { validation, promotion, sanity } = await evolve(made, BREAKING, 'QUICK');
    expect(validation.ok).toBe(true);
    expect(sanity).toMatchObject({ ok: false, reason: 'REGRESSION_ROLLED_BACK', step: { step: 'tests', reason: 'TESTS_FAILED' } });
    expect(await repo.git('log', '--format=%s', `${head}..${BRANCH}`)).toBe('revert: feat(src): add a multiply helper\nfeat(src): add a multiply helper');
    expect(await repo.git('rev-parse', `${BRANCH}^`)).toBe(promotion?.tip);
    expect(await repo.git('diff', head, BRANCH)).toBe('');
    expect(sanity?.reversion?.promotion.tip).toBe(await repo.git('rev-parse', BRANCH));
  });
});
