// Unattended runs with a pull request, in process through runCiCycles: with a fake gh (a real
// executable) a draft pull request is opened or updated, without a logged-in gh the exact
// instructions are given, and ci.maxOpenPrs keeps the number of open bot pull requests bounded.
// Without any gh on PATH, through the command: test/ci/run-ci-command.test.ts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { strategiesOf, configSchema } from '../../agent/config/schema.js';
import { renderPullRequestBody } from '../../agent/ci/render-pull-request.js';
import { ciNotes } from '../../agent/cli/ci-notes.js';
import { useCycleBench } from '../cycle/cycle-kit.js';
import { BRANCH, ONE_COMMIT_TITLE as TITLE, makeFakeGh, makeRemoteProject, originTip, queueObjectives, runCi, scriptReadmeLines } from './ci-kit.js';

const bench = useCycleBench();

describe('an unattended run with a pull request', () => {
  it('with gh: opens a draft pull request whose body tables the cycles, then updates it on the next run', async () => {
    const project = bench.use(await makeRemoteProject(bench.server, { git: { push: true } }));
    const gh = await makeFakeGh(project.dir);
    scriptReadmeLines(bench.server, 'Run');
    await queueObjectives(project.repo.root, 'Describe the project in README.md');

    const first = await runCi(project.repo.root, { pullRequest: true, gh: gh.executable });
    expect(first.publishError).toBeNull();
    expect(first.pullRequest).toEqual({ status: 'created', url: 'https://github.com/acme/widget/pull/7', message: 'Opened the draft pull request https://github.com/acme/widget/pull/7' });
    const tip = first.cycles[0]!.commit!;
    expect(ciNotes(first)).toEqual([`Pushed ${BRANCH} to origin (${tip.slice(0, 12)}).`, 'Opened the draft pull request https://github.com/acme/widget/pull/7']);
    const bodyFile = path.join(project.repo.root, '.hephaestus/pull-request.md');
    const expectedBody = renderPullRequestBody({
      branch: BRANCH,
      base: 'main',
      cycles: first.cycles,
      commits: [{ sha: tip, subject: (await project.repo.git('log', '-1', '--format=%s', tip)).trim() }],
      strategies: strategiesOf(configSchema.parse({})),
      stopReason: null,
    });
    expect(await gh.calls()).toEqual([
      { argv: ['--version'] },
      { argv: ['auth', 'status'] },
      { argv: ['pr', 'list', '--state', 'open', '--limit', '200', '--json', 'number,url,headRefName'] },
      { argv: ['pr', 'create', '--draft', '--head', BRANCH, '--base', 'main', '--title', TITLE, '--body-file', bodyFile], body: expectedBody },
    ]);
    expect(expectedBody).toContain(`| 1 | Describe the project in README.md | committed \`${tip.slice(0, 12)}\` | DOC_UPDATE | not run |`);

    // The pull request is open now: the next run updates it instead of opening another.
    await gh.setOpenPullRequests([{ number: 7, url: 'https://github.com/acme/widget/pull/7', headRefName: BRANCH }]);
    await queueObjectives(project.repo.root, 'Say more in README.md');
    const second = await runCi(project.repo.root, { pullRequest: true, gh: gh.executable });
    expect(second.publishError).toBeNull();
    expect(second.pullRequest).toEqual({ status: 'updated', url: 'https://github.com/acme/widget/pull/7', message: 'Updated the draft pull request https://github.com/acme/widget/pull/7' });
    const edit = (await gh.calls()).at(-1)!;
    expect(edit.argv).toEqual(['pr', 'edit', '7', '--title', `Hephaestus: 2 validated commits on ${BRANCH}`, '--body-file', bodyFile]);
    const subject = async (commit: string) => (await project.repo.git('log', '-1', '--format=%s', commit)).trim();
    const newTip = second.cycles[0]!.commit!;
    // Both runs' commits are listed, newest first.
    expect(edit.body?.split('\n').slice(-3)).toEqual([`- \`${newTip.slice(0, 12)}\` ${await subject(newTip)}`, `- \`${tip.slice(0, 12)}\` ${await subject(tip)}`, '']);
  });

  it('with gh but not authenticated: pushes and gives the gh command (no compare URL off GitHub)', async () => {
    const project = bench.use(await makeRemoteProject(bench.server, { git: { push: true } }));
    const gh = await makeFakeGh(project.dir);
    await gh.logOut();
    scriptReadmeLines(bench.server, 'Run');
    await queueObjectives(project.repo.root, 'Describe the project in README.md');
    const result = await runCi(project.repo.root, { pullRequest: true, gh: gh.executable });
    expect(result.publishError).toBeNull();
    expect(await originTip(project)).toBe(result.cycles[0]!.commit);
    const command = `gh pr create --draft --head ${BRANCH} --base main --title '${TITLE}' --body-file .hephaestus/pull-request.md`;
    expect(result.pullRequest).toEqual({
      status: 'manual',
      reason: 'gh-unauthenticated',
      command,
      compareUrl: null,
      message: `gh is not authenticated (gh auth status failed; set GH_TOKEN or run gh auth login), so no pull request was opened. To open it:\n  ${command}`,
    });
    expect((await gh.calls()).map((call) => call.argv)).toEqual([['--version'], ['auth', 'status']]);
  });

  it('opens no new pull request when ci.maxOpenPrs bot pull requests are open', async () => {
    const project = bench.use(await makeRemoteProject(bench.server, { git: { push: true, branch: 'hephaestus/nightly' }, ci: { maxOpenPrs: 1 } }));
    const gh = await makeFakeGh(project.dir);
    await gh.setOpenPullRequests([
      { number: 3, url: 'https://github.com/acme/widget/pull/3', headRefName: 'hephaestus/evolve' },
      { number: 4, url: 'https://github.com/acme/widget/pull/4', headRefName: 'feature/by-a-human' },
    ]);
    scriptReadmeLines(bench.server, 'Run');
    await queueObjectives(project.repo.root, 'Describe the project in README.md');

    const result = await runCi(project.repo.root, { pullRequest: true, gh: gh.executable });
    expect(result.publishError).toBeNull();
    const message =
      'ci.maxOpenPrs is 1 and 1 Hephaestus pull request is open (https://github.com/acme/widget/pull/3); no new pull request was opened for hephaestus/nightly. Merge or close one, or raise ci.maxOpenPrs.';
    expect(result.pullRequest).toEqual({ status: 'limit-reached', open: ['https://github.com/acme/widget/pull/3'], limit: 1, message });
    expect(ciNotes(result).at(-1)).toBe(message);
    expect((await gh.calls()).map((call) => call.argv.slice(0, 2))).toEqual([['--version'], ['auth', 'status'], ['pr', 'list']]);
    // The branch was still pushed.
    expect(await originTip(project, 'hephaestus/nightly')).toBe(result.cycles[0]!.commit);
  });
});
