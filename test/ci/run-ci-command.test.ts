// The one end-to-end test of `hephaestus run --ci` as a child process: --pr with no gh on PATH
// (git.push is off: --pr implies pushing). Stdout is the one JSON summary; stderr says which
// planner runs and why, what was pushed and how to open the pull request, and otherwise holds
// pino's JSON lines only. The behaviour behind it is tested in process (remote-run, pull-request).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCycleBench } from '../cycle/cycle-kit.js';
import { BRANCH, ONE_COMMIT_TITLE, makeRemoteProject, notesOf, originTip, pathWithoutGh, queueObjectives, runCiCommand, scriptReadmeLines } from './ci-kit.js';

const bench = useCycleBench();

describe('hephaestus run --ci --pr', () => {
  it('without gh: pushes the branch, prints the planner, the gh command and the compare URL, exits 0', async () => {
    const project = bench.use(await makeRemoteProject(bench.server));
    // origin looks like a GitHub remote; git rewrites the URL to the local bare repository.
    await project.repo.git('remote', 'set-url', 'origin', 'https://github.com/acme/widget.git');
    await project.repo.git('config', `url.${project.origin}.insteadOf`, 'https://github.com/acme/widget.git');
    scriptReadmeLines(bench.server, 'Run');
    await queueObjectives(project.repo.root, 'Describe the project in README.md');

    const result = await runCiCommand(project.repo.root, ['--cycles', '1', '--pr'], { PATH: await pathWithoutGh() });
    expect(result.exitCode, result.stderr).toBe(0);
    const tip = result.summary.cycles[0].commit as string;
    expect([result.summary.committed, result.summary.remote]).toEqual([1, { remote: 'origin', branch: BRANCH, action: 'no-remote-branch', pushed: true, tip }]);
    expect(await originTip(project)).toBe(tip);
    const command = `gh pr create --draft --head ${BRANCH} --base main --title '${ONE_COMMIT_TITLE}' --body-file .hephaestus/pull-request.md`;
    const compareUrl = `https://github.com/acme/widget/compare/main...${BRANCH}?expand=1`;
    expect(result.summary.pullRequest).toEqual({
      status: 'manual',
      reason: 'gh-missing',
      command,
      compareUrl,
      message: `gh (the GitHub CLI) is not installed, so no pull request was opened. To open it:\n  ${command}\nor open ${compareUrl}`,
    });
    expect(notesOf(result.stderr)).toEqual([
      'Planner: the openai model (llm.provider is "openai").',
      `Pushed ${BRANCH} to origin (${tip.slice(0, 12)}).`,
      'gh (the GitHub CLI) is not installed, so no pull request was opened. To open it:',
      `  ${command}`,
      `or open ${compareUrl}`,
    ]);
    // stderr otherwise carries pino's JSON lines only: nothing interactive.
    expect(result.stderr.split('\n').filter((line) => line.startsWith('{')).every((line) => typeof JSON.parse(line).level === 'number')).toBe(true);
    const body = await readFile(path.join(project.repo.root, '.hephaestus/pull-request.md'), 'utf8');
    expect(body.split('\n').slice(2, 7)).toEqual([
      '## This run',
      '',
      '| # | objective | outcome | strategy | tests | tokens |',
      '|---|---|---|---|---|---|',
      expect.stringMatching(new RegExp(`^\\| 1 \\| Describe the project in README.md \\| committed \`${tip.slice(0, 12)}\` \\| DOC_UPDATE \\| not run \\| [\\d,]+ \\|$`)),
    ]);
  });
});
