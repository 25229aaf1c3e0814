// `run --ci --pr`: without gh the branch is pushed and the exact instructions printed; with a
// fake gh (a real executable first on PATH) a draft pull request is opened or updated, and
// ci.maxOpenPrs keeps the number of open bot pull requests bounded.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { strategiesOf, configSchema } from '../../agent/config/schema.js';
import { renderPullRequestBody } from '../../agent/ci/render-pull-request.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { BRANCH, makeFakeGh, makeRemoteProject, notesOf, originTip, pathWithoutGh, queueObjectives, runCi, scriptReadmeLines, type RemoteProject } from './ci-kit.js';

let server: FakeLlmServer;
let project: RemoteProject;

beforeEach(async () => {
  server = await startFakeLlmServer();
});
afterEach(async () => {
  await server.close();
  await project?.cleanup();
});

const TITLE = `Hephaestus: 1 validated commit on ${BRANCH}`;

describe('run --ci --pr', () => {
  it('without gh: pushes the branch, prints the gh command and the compare URL, exits 0', async () => {
    // git.push is off: --pr implies pushing.
    project = await makeRemoteProject(server);
    // origin looks like a GitHub remote; git rewrites the URL to the local bare repository.
    await project.repo.git('remote', 'set-url', 'origin', 'https://github.com/acme/widget.git');
    await project.repo.git('config', `url.${project.origin}.insteadOf`, 'https://github.com/acme/widget.git');
    scriptReadmeLines(server, 'Run');
    await queueObjectives(project.repo.root, 'Describe the project in README.md');

    const result = await runCi(project.repo.root, ['--cycles', '1', '--pr'], { PATH: await pathWithoutGh() });
    expect(result.exitCode).toBe(0);
    const tip = result.summary.cycles[0].commit as string;
    expect(await originTip(project)).toBe(tip);
    const command = `gh pr create --draft --head ${BRANCH} --base main --title '${TITLE}' --body-file .hephaestus/pull-request.md`;
    const compareUrl = `https://github.com/acme/widget/compare/main...${BRANCH}?expand=1`;
    expect(result.summary.pullRequest).toEqual({
      status: 'manual',
      reason: 'gh-missing',
      command,
      compareUrl,
      message: `gh (the GitHub CLI) is not installed, so no pull request was opened. To open it:\n  ${command}\nor open ${compareUrl}`,
    });
    expect(notesOf(result.stderr)).toEqual([
      `Pushed ${BRANCH} to origin (${tip.slice(0, 12)}).`,
      'gh (the GitHub CLI) is not installed, so no pull request was opened. To open it:',
      `  ${command}`,
      `or open ${compareUrl}`,
    ]);
    const body = await readFile(path.join(project.repo.root, '.hephaestus/pull-request.md'), 'utf8');
    expect(body.split('\n').slice(2, 7)).toEqual([
      '## This run',
      '',
      '| # | objective | outcome | strategy | tests | tokens |',
      '|---|---|---|---|---|---|',
      expect.stringMatching(new RegExp(`^\\| 1 \\| Describe the project in README.md \\| committed \`${tip.slice(0, 12)}\` \\| DOC_UPDATE \\| not run \\| [\\d,]+ \\|$`)),
    ]);
  });

  it('with gh: opens a draft pull request whose body tables the cycles, then updates it on the next run', async () => {
    project = await makeRemoteProject(server, { git: { push: true } });
    const gh = await makeFakeGh(project.dir);
    const env = { PATH: `${gh.bin}${path.delimiter}${process.env.PATH ?? ''}` };
    scriptReadmeLines(server, 'Run');
    await queueObjectives(project.repo.root, 'Describe the project in README.md');

    const first = await runCi(project.repo.root, ['--cycles', '1', '--pr'], env);
    expect(first.exitCode).toBe(0);
    expect(first.summary.pullRequest).toEqual({ status: 'created', url: 'https://github.com/acme/widget/pull/7', message: 'Opened the draft pull request https://github.com/acme/widget/pull/7' });
    const bodyFile = path.join(project.repo.root, '.hephaestus/pull-request.md');
    const tip = first.summary.cycles[0].commit as string;
    const expectedBody = renderPullRequestBody({
      branch: BRANCH,
      base: 'main',
      cycles: first.summary.cycles,
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
    const second = await runCi(project.repo.root, ['--cycles', '1', '--pr'], env);
    expect(second.exitCode).toBe(0);
    expect(second.summary.pullRequest).toEqual({ status: 'updated', url: 'https://github.com/acme/widget/pull/7', message: 'Updated the draft pull request https://github.com/acme/widget/pull/7' });
    const edit = (await gh.calls()).at(-1)!;
    expect(edit.argv).toEqual(['pr', 'edit', '7', '--title', `Hephaestus: 2 validated commits on ${BRANCH}`, '--body-file', bodyFile]);
    const subject = async (commit: string) => (await project.repo.git('log', '-1', '--format=%s', commit)).trim();
    const newTip = second.summary.cycles[0].commit as string;
    // Both runs' commits are listed, newest first.
    expect(edit.body?.split('\n').slice(-3)).toEqual([`- \`${newTip.slice(0, 12)}\` ${await subject(newTip)}`, `- \`${tip.slice(0, 12)}\` ${await subject(tip)}`, '']);
  });

  it('with gh but not authenticated: pushes and prints the gh command (no compare URL off GitHub), exits 0', async () => {
    project = await makeRemoteProject(server, { git: { push: true } });
    const gh = await makeFakeGh(project.dir);
    await gh.logOut();
    scriptReadmeLines(server, 'Run');
    await queueObjectives(project.repo.root, 'Describe the project in README.md');
    const result = await runCi(project.repo.root, ['--cycles', '1', '--pr'], { PATH: `${gh.bin}${path.delimiter}${process.env.PATH ?? ''}` });
    expect(result.exitCode).toBe(0);
    expect(await originTip(project)).toBe(result.summary.cycles[0].commit);
    const command = `gh pr create --draft --head ${BRANCH} --base main --title '${TITLE}' --body-file .hephaestus/pull-request.md`;
    expect(result.summary.pullRequest).toEqual({
      status: 'manual',
      reason: 'gh-unauthenticated',
      command,
      compareUrl: null,
      message: `gh is not authenticated (gh auth status failed; set GH_TOKEN or run gh auth login), so no pull request was opened. To open it:\n  ${command}`,
    });
    expect((await gh.calls()).map((call) => call.argv)).toEqual([['--version'], ['auth', 'status']]);
  });

  it('opens no new pull request when ci.maxOpenPrs bot pull requests are open', async () => {
    project = await makeRemoteProject(server, { git: { push: true, branch: 'hephaestus/nightly' }, ci: { maxOpenPrs: 1 } });
    const gh = await makeFakeGh(project.dir);
    await gh.setOpenPullRequests([
      { number: 3, url: 'https://github.com/acme/widget/pull/3', headRefName: 'hephaestus/evolve' },
      { number: 4, url: 'https://github.com/acme/widget/pull/4', headRefName: 'feature/by-a-human' },
    ]);
    scriptReadmeLines(server, 'Run');
    await queueObjectives(project.repo.root, 'Describe the project in README.md');

    const result = await runCi(project.repo.root, ['--cycles', '1', '--pr'], { PATH: `${gh.bin}${path.delimiter}${process.env.PATH ?? ''}` });
    expect(result.exitCode).toBe(0);
    const message =
      'ci.maxOpenPrs is 1 and 1 Hephaestus pull request is open (https://github.com/acme/widget/pull/3); no new pull request was opened for hephaestus/nightly. Merge or close one, or raise ci.maxOpenPrs.';
    expect(result.summary.pullRequest).toEqual({ status: 'limit-reached', open: ['https://github.com/acme/widget/pull/3'], limit: 1, message });
    expect(notesOf(result.stderr).at(-1)).toBe(message);
    expect((await gh.calls()).map((call) => call.argv.slice(0, 2))).toEqual([['--version'], ['auth', 'status'], ['pr', 'list']]);
    // The branch was still pushed.
    expect(await originTip(project, 'hephaestus/nightly')).toBe(result.summary.cycles[0].commit);
  });
});
