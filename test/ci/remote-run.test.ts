// Unattended runs with git.push against a local bare repository as `origin`, in process through
// runCiCycles: the branch is pushed, later runs continue from it, and nothing anyone else pushed
// is ever overwritten. What the command prints of it: test/ci/run-ci-command.test.ts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGit } from '../../agent/git/git-environment.js';
import { exitCodeFor } from '../../agent/cli/exit-codes.js';
import { ciNotes } from '../../agent/cli/ci-notes.js';
import { planReply, roleOf, scriptRoles, useCycleBench } from '../cycle/cycle-kit.js';
import { BRANCH, makeRemoteProject, originGit, originTip, pushAsSomeoneElse, queueObjectives, runCi, scriptReadmeLines } from './ci-kit.js';

const bench = useCycleBench();

describe('an unattended run with git.push', () => {
  it('pushes the evolution branch, and the next run (from a fresh clone) continues on top of it', async () => {
    const project = bench.use(await makeRemoteProject(bench.server, { git: { push: true } }));
    scriptReadmeLines(bench.server, 'First run');
    await queueObjectives(project.repo.root, 'Describe the project in README.md', 'Say more in README.md');

    const first = await runCi(project.repo.root, { cycles: 2 });
    expect([first.committed, first.publishError]).toEqual([2, null]);
    const firstTip = first.cycles[1]!.commit!;
    expect(first.remote).toEqual({ remote: 'origin', branch: BRANCH, action: 'no-remote-branch', pushed: true, tip: firstTip });
    expect(await originTip(project)).toBe(firstTip);
    expect(await project.repo.git('rev-parse', BRANCH)).toBe(firstTip);
    expect(ciNotes(first)).toEqual([`Pushed ${BRANCH} to origin (${firstTip.slice(0, 12)}).`]);

    // A scheduled job starts from a fresh clone of origin.
    const clone = path.join(project.dir, 'clone');
    await runGit(project.dir, ['clone', '-q', project.origin, clone]);
    scriptReadmeLines(bench.server, 'Second run');
    await queueObjectives(clone, 'Describe the project in README.md again', 'Say even more in README.md');
    const second = await runCi(clone, { cycles: 2 });
    expect([second.committed, second.publishError]).toEqual([2, null]);
    const secondTip = second.cycles[1]!.commit!;
    expect(second.remote).toEqual({ remote: 'origin', branch: BRANCH, action: 'created', pushed: true, tip: secondTip });

    // Its commits sit on top of the first run's.
    expect((await originGit(project, 'log', '--format=%H', `main..${BRANCH}`)).split('\n').slice(2)).toEqual([firstTip, first.cycles[0]!.commit]);
    expect((await originGit(project, 'rev-list', '--count', `main..${BRANCH}`)).trim()).toBe('4');
    expect(await originGit(project, 'show', `${BRANCH}:README.md`)).toBe('# Fixture\n\nFirst run line 1.\n\nFirst run line 2.\n\nSecond run line 1.\n\nSecond run line 2.');
  });

  it('continues in the same repository after its local branch was deleted', async () => {
    const project = bench.use(await makeRemoteProject(bench.server, { git: { push: true } }));
    scriptReadmeLines(bench.server, 'Run');
    await queueObjectives(project.repo.root, 'Describe the project in README.md');
    const first = await runCi(project.repo.root);
    expect([first.committed, first.publishError]).toEqual([1, null]);
    await project.repo.git('branch', '-D', BRANCH);

    await queueObjectives(project.repo.root, 'Say more in README.md');
    const second = await runCi(project.repo.root);
    expect([second.remote?.action, second.publishError]).toEqual(['created', null]);
    expect((await originGit(project, 'log', '--format=%H', `main..${BRANCH}`)).split('\n')).toEqual([second.cycles[0]!.commit, first.cycles[0]!.commit]);
  });

  it('a remote branch moved by someone else during the run is not overwritten (REMOTE_MOVED, exit 1)', async () => {
    const project = bench.use(await makeRemoteProject(bench.server, { git: { push: true } }));
    let theirs: string | null = null;
    scriptRoles(bench.server, async () => {
      // While the Architect "thinks", someone else pushes the evolution branch.
      theirs ??= await pushAsSomeoneElse(project, 'NOTES.md', 'their work\n');
      return planReply([{ operation: 'INSERT', file_path: 'README.md', content: '\nOur line.\n' }]);
    });
    await queueObjectives(project.repo.root, 'Describe the project in README.md');

    const result = await runCi(project.repo.root);
    const ours = result.cycles[0]!.commit!;
    expect([result.committed, result.remote, result.pullRequest]).toEqual([1, null, null]);
    expect(result.publishError).toMatchObject({
      code: 'REMOTE_MOVED',
      message:
        `origin/${BRANCH} was moved by someone else during the run: expected (no branch), found ${theirs!.slice(0, 12)}. ` +
        `Nothing on origin was overwritten; this run's commits are on the local branch ${BRANCH} (${ours.slice(0, 12)}). ` +
        `Merge them with origin/${BRANCH} and push by hand, or delete the local branch to continue from origin next time.`,
    });
    expect(exitCodeFor(result.publishError)).toBe(1);
    expect(await originTip(project)).toBe(theirs);
    expect(await project.repo.git('rev-parse', BRANCH)).toBe(ours);
  });

  it('a local branch that diverged from the remote one stops the run before any cycle (REMOTE_DIVERGED, exit 1)', async () => {
    const project = bench.use(await makeRemoteProject(bench.server, { git: { push: true } }));
    const remoteTip = await pushAsSomeoneElse(project, 'NOTES.md', 'their work\n');
    // A local commit on the evolution branch that the remote never saw.
    const tree = await project.repo.git('rev-parse', 'main^{tree}');
    const local = await project.repo.git('commit-tree', '-p', 'main', '-m', 'local only', tree);
    await project.repo.git('update-ref', `refs/heads/${BRANCH}`, local);

    const error = await runCi(project.repo.root).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'REMOTE_DIVERGED',
      message:
        `the local branch ${BRANCH} (${local.slice(0, 12)}) and origin/${BRANCH} (${remoteTip.slice(0, 12)}) have diverged: each has commits the other lacks. ` +
        `Nothing was changed. Merge or rebase one onto the other and push it, or delete the local branch (git branch -D ${BRANCH}) to continue from origin.`,
    });
    expect(exitCodeFor(error)).toBe(1);
    expect(bench.server.requests.filter((request) => roleOf(request) === 'architect')).toHaveLength(0);
    expect(await originTip(project)).toBe(remoteTip);
    expect(await project.repo.git('rev-parse', BRANCH)).toBe(local);
  });

  it('refuses to push a branch outside hephaestus/ (config error, exit 2)', async () => {
    const project = bench.use(await makeRemoteProject(bench.server, { git: { push: true, branch: 'main' } }));
    const error = await runCi(project.repo.root).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'HEPHAESTUS_CONFIG_INVALID',
      message:
        'git.branch is "main", but only branches under "hephaestus/" are ever pushed. Set git.branch to e.g. "hephaestus/evolve" in hephaestus.config.json, or set git.push to false and drop --pr.',
    });
    expect(exitCodeFor(error)).toBe(2);
    expect(bench.server.requests).toEqual([]);
    expect(await originGit(project, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');
  });
});
