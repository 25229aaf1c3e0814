// `run --ci` with git.push against a local bare repository as `origin`: the branch is pushed,
// later runs continue from it, and nothing anyone else pushed is ever overwritten.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runGit } from '../../agent/git/git-environment.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { planReply, roleOf, scriptRoles } from '../cycle/cycle-kit.js';
import { BRANCH, makeRemoteProject, notesOf, originGit, originTip, pushAsSomeoneElse, queueObjectives, runCi, scriptReadmeLines, type RemoteProject } from './ci-kit.js';

let server: FakeLlmServer;
let project: RemoteProject;

beforeEach(async () => {
  server = await startFakeLlmServer();
});
afterEach(async () => {
  await server.close();
  await project?.cleanup();
});

describe('run --ci with git.push', () => {
  it('pushes the evolution branch, and the next run (from a fresh clone) continues on top of it', async () => {
    project = await makeRemoteProject(server, { git: { push: true } });
    scriptReadmeLines(server, 'First run');
    await queueObjectives(project.repo.root, 'Describe the project in README.md', 'Say more in README.md');

    const first = await runCi(project.repo.root, ['--cycles', '2']);
    expect(first.exitCode).toBe(0);
    expect(first.summary.committed).toBe(2);
    const firstTip = first.summary.cycles[1].commit as string;
    expect(first.summary.remote).toEqual({ remote: 'origin', branch: BRANCH, action: 'no-remote-branch', pushed: true, tip: firstTip });
    expect(await originTip(project)).toBe(firstTip);
    expect(await project.repo.git('rev-parse', BRANCH)).toBe(firstTip);
    expect(notesOf(first.stderr)).toEqual([`Pushed ${BRANCH} to origin (${firstTip.slice(0, 12)}).`]);
    // stderr otherwise carries pino's JSON lines only: nothing interactive.
    expect(first.stderr.split('\n').filter((line) => line.startsWith('{')).every((line) => typeof JSON.parse(line).level === 'number')).toBe(true);

    // A scheduled job starts from a fresh clone of origin.
    const clone = path.join(project.dir, 'clone');
    await runGit(project.dir, ['clone', '-q', project.origin, clone]);
    scriptReadmeLines(server, 'Second run');
    await queueObjectives(clone, 'Describe the project in README.md again', 'Say even more in README.md');
    const second = await runCi(clone, ['--cycles', '2']);
    expect(second.exitCode).toBe(0);
    expect(second.summary.committed).toBe(2);
    const secondTip = second.summary.cycles[1].commit as string;
    expect(second.summary.remote).toEqual({ remote: 'origin', branch: BRANCH, action: 'created', pushed: true, tip: secondTip });

    // Its commits sit on top of the first run's.
    expect((await originGit(project, 'log', '--format=%H', `main..${BRANCH}`)).split('\n').slice(2)).toEqual([
      firstTip,
      first.summary.cycles[0].commit,
    ]);
    expect((await originGit(project, 'rev-list', '--count', `main..${BRANCH}`)).trim()).toBe('4');
    expect(await originGit(project, 'show', `${BRANCH}:README.md`)).toBe('# Fixture\n\nFirst run line 1.\n\nFirst run line 2.\n\nSecond run line 1.\n\nSecond run line 2.');
  });

  it('continues in the same repository after its local branch was deleted', async () => {
    project = await makeRemoteProject(server, { git: { push: true } });
    scriptReadmeLines(server, 'Run');
    await queueObjectives(project.repo.root, 'Describe the project in README.md');
    const first = await runCi(project.repo.root, ['--cycles', '1']);
    expect(first.exitCode).toBe(0);
    await project.repo.git('branch', '-D', BRANCH);

    await queueObjectives(project.repo.root, 'Say more in README.md');
    const second = await runCi(project.repo.root, ['--cycles', '1']);
    expect(second.exitCode).toBe(0);
    expect(second.summary.remote.action).toBe('created');
    expect((await originGit(project, 'log', '--format=%H', `main..${BRANCH}`)).split('\n')).toEqual([second.summary.cycles[0].commit, first.summary.cycles[0].commit]);
  });

  it('a remote branch moved by someone else during the run is not overwritten (exit 1)', async () => {
    project = await makeRemoteProject(server, { git: { push: true } });
    let theirs: string | null = null;
    scriptRoles(server, async () => {
      // While the Architect "thinks", someone else pushes the evolution branch.
      theirs ??= await pushAsSomeoneElse(project, 'NOTES.md', 'their work\n');
      return planReply([{ operation: 'INSERT', file_path: 'README.md', content: '\nOur line.\n' }]);
    });
    await queueObjectives(project.repo.root, 'Describe the project in README.md');

    const result = await runCi(project.repo.root, ['--cycles', '1']);
    expect(result.exitCode).toBe(1);
    const ours = result.summary.cycles[0].commit as string;
    expect(result.summary.committed).toBe(1);
    expect(notesOf(result.stderr)).toEqual([
      `hephaestus: origin/${BRANCH} was moved by someone else during the run: expected (no branch), found ${theirs!.slice(0, 12)}. ` +
        `Nothing on origin was overwritten; this run's commits are on the local branch ${BRANCH} (${ours.slice(0, 12)}). ` +
        `Merge them with origin/${BRANCH} and push by hand, or delete the local branch to continue from origin next time.`,
    ]);
    expect(await originTip(project)).toBe(theirs);
    expect(await project.repo.git('rev-parse', BRANCH)).toBe(ours);
  });

  it('a local branch that diverged from the remote one stops the run before any cycle (exit 1)', async () => {
    project = await makeRemoteProject(server, { git: { push: true } });
    const remoteTip = await pushAsSomeoneElse(project, 'NOTES.md', 'their work\n');
    // A local commit on the evolution branch that the remote never saw.
    const tree = await project.repo.git('rev-parse', 'main^{tree}');
    const local = await project.repo.git('commit-tree', '-p', 'main', '-m', 'local only', tree);
    await project.repo.git('update-ref', `refs/heads/${BRANCH}`, local);

    const result = await runCi(project.repo.root, ['--cycles', '1']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(notesOf(result.stderr)).toEqual([
      `hephaestus: the local branch ${BRANCH} (${local.slice(0, 12)}) and origin/${BRANCH} (${remoteTip.slice(0, 12)}) have diverged: each has commits the other lacks. ` +
        `Nothing was changed. Merge or rebase one onto the other and push it, or delete the local branch (git branch -D ${BRANCH}) to continue from origin.`,
    ]);
    expect(server.requests.filter((request) => roleOf(request) === 'architect')).toHaveLength(0);
    expect(await originTip(project)).toBe(remoteTip);
    expect(await project.repo.git('rev-parse', BRANCH)).toBe(local);
  });

  it('refuses to push a branch outside hephaestus/ (config error, exit 2)', async () => {
    project = await makeRemoteProject(server, { git: { push: true, branch: 'main' } });
    const result = await runCi(project.repo.root, ['--cycles', '1']);
    expect(result.exitCode).toBe(2);
    expect(notesOf(result.stderr)).toEqual([
      'hephaestus: git.branch is "main", but only branches under "hephaestus/" are ever pushed. Set git.branch to e.g. "hephaestus/evolve" in hephaestus.config.json, or set git.push to false and drop --pr.',
    ]);
    expect(await originGit(project, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');
  });
});
