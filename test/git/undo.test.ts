// `hephaestus undo [N]`: one new revert commit on the evolution branch, promoted by
// compare-and-swap; the reverted commits stay in history and the user's checkout is untouched.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runGit } from '../../agent/git/git-environment.js';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
afterEach(async () => repo?.remove());

const AGENT = { name: 'Hephaestus', email: 'hephaestus@localhost' };
const BRANCH = 'hephaestus/evolve';

/** An evolution commit as the agent makes them: authored by the agent, on the branch, with `files` changed. */
async function evolutionCommit(files: Record<string, string>, subject: string): Promise<string> {
  const git = (args: string[], input?: string) => runGit(repo.root, args, { author: AGENT, indexFile: path.join(repo.root, '.git', 'test-index'), ...(input !== undefined ? { input } : {}) });
  const tip = (await git(['rev-parse', `refs/heads/${BRANCH}`])).stdout.trim();
  await git(['read-tree', tip]);
  for (const [file, content] of Object.entries(files)) {
    const blob = (await git(['hash-object', '-w', '--stdin'], content)).stdout.trim();
    await git(['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`]);
  }
  const tree = (await git(['write-tree'])).stdout.trim();
  const commit = (await git(['commit-tree', tree, '-p', tip, '-m', subject])).stdout.trim();
  await git(['update-ref', `refs/heads/${BRANCH}`, commit, tip]);
  return commit;
}

const show = async (file: string) => (await runGit(repo.root, ['show', `${BRANCH}:${file}`])).stdout;

describe('hephaestus undo', () => {
  it('reverts the last evolution commit, then the next, with new commits; history and the user checkout stay', async () => {
    repo = await makeTempRepo({ 'src/a.js': 'one\n', 'src/b.js': 'two\n' });
    await repo.git('branch', BRANCH);
    const first = await evolutionCommit({ 'src/a.js': 'one changed\n' }, 'fix(src): change a');
    const second = await evolutionCommit({ 'src/b.js': 'two changed\n' }, 'fix(src): change b');
    await repo.write('src/a.js', 'uncommitted user work\n');

    const undo = await runCli(['undo', '--repo', repo.root]);
    expect(undo.exitCode, undo.stderr).toBe(0);
    const revert = (await repo.git('rev-parse', BRANCH)).trim();
    expect(undo.stdout.split('\n')).toEqual([
      `Reverted 1 evolution commit on ${BRANCH} with ${revert.slice(0, 12)}:`,
      `  ${second.slice(0, 10)} fix(src): change b`,
      'Nothing was rewritten: the revert is a new commit on top, safe to push.',
    ]);
    expect((await repo.git('log', '--format=%s', `main..${BRANCH}`)).split('\n')).toEqual(['revert: fix(src): change b', 'fix(src): change b', 'fix(src): change a']);
    expect(await repo.git('log', '-1', '--format=%B', BRANCH)).toBe(`revert: fix(src): change b\n\nThis reverts commit ${second} (fix(src): change b).\n\nWritten by "hephaestus undo 1".\n`);
    expect([await show('src/a.js'), await show('src/b.js')]).toEqual(['one changed', 'two']);
    // The user's files and index are as they were.
    expect(await readFile(path.join(repo.root, 'src/a.js'), 'utf8')).toBe('uncommitted user work\n');
    expect(await repo.git('status', '--porcelain')).toBe(' M src/a.js');

    // The next undo skips what is reverted already.
    const again = await runCli(['undo', '1', '--repo', repo.root]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout.split('\n')[1]).toBe(`  ${first.slice(0, 10)} fix(src): change a`);
    expect([await show('src/a.js'), await show('src/b.js')]).toEqual(['one', 'two']);

    const none = await runCli(['undo', '--repo', repo.root]);
    expect(none).toMatchObject({ exitCode: 2, stderr: `hephaestus: ${BRANCH} has no evolution commit left to undo (the agent's commits since the last commit someone else made are all reverted already).` });
  });

  it('undo N reverts N commits at once; more than there are is refused and changes nothing', async () => {
    repo = await makeTempRepo({ 'src/a.js': 'one\n' });
    await repo.git('branch', BRANCH);
    await evolutionCommit({ 'src/a.js': 'one\nplus\n' }, 'feat(src): plus');
    await evolutionCommit({ 'src/a.js': 'one\nplus\nmore\n' }, 'feat(src): more');
    const tip = (await repo.git('rev-parse', BRANCH)).trim();

    const tooMany = await runCli(['undo', '3', '--repo', repo.root]);
    expect(tooMany).toMatchObject({ exitCode: 2, stderr: `hephaestus: ${BRANCH} has only 2 evolution commits left to undo, not 3. Run "hephaestus undo 2" to undo them all.` });
    expect((await repo.git('rev-parse', BRANCH)).trim()).toBe(tip);

    const both = await runCli(['undo', '2', '--repo', repo.root]);
    expect(both.exitCode, both.stderr).toBe(0);
    expect(await repo.git('log', '-1', '--format=%s', BRANCH)).toBe('revert: undo the last 2 evolution commits');
    expect(await show('src/a.js')).toBe('one');
    expect((await repo.git('rev-parse', `${BRANCH}^`)).trim()).toBe(tip);
  });

  it('stops at a commit someone else made on the branch: the agent never undoes past it', async () => {
    repo = await makeTempRepo({ 'src/a.js': 'one\n' });
    await repo.git('branch', BRANCH);
    await evolutionCommit({ 'src/a.js': 'one\nplus\n' }, 'feat(src): plus');
    await repo.git('checkout', '-q', BRANCH);
    await repo.write('src/a.js', 'one\nplus\nuser line\n');
    await runGit(repo.root, ['commit', '-q', '-am', 'user: add a line'], { author: { name: 'User', email: 'user@example.com' } });
    const tip = (await repo.git('rev-parse', BRANCH)).trim();
    const result = await runCli(['undo', '--repo', repo.root]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`hephaestus: ${BRANCH} has no evolution commit left to undo (the agent's commits since the last commit someone else made are all reverted already).`);
    expect((await repo.git('rev-parse', BRANCH)).trim()).toBe(tip);
  });

  it('with the branch checked out and clean, fast-forwards the files to the revert', async () => {
    repo = await makeTempRepo({ 'src/a.js': 'one\n' });
    await repo.git('branch', BRANCH);
    await evolutionCommit({ 'src/a.js': 'one\nplus\n' }, 'feat(src): plus');
    await repo.git('checkout', '-q', BRANCH);
    const result = await runCli(['undo', '--repo', repo.root]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await readFile(path.join(repo.root, 'src/a.js'), 'utf8')).toBe('one\n');
    expect(await repo.git('status', '--porcelain')).toBe('');
  });
});
