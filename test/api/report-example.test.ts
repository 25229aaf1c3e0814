// The README's report example, run as written from a project that depends on this package
// (node_modules/hephaestus-agent links to the build): the report API comes from the package
// entry and builds the same page as `hephaestus report`, without writing into the repository.
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { embeddedReportData, makeReportHistory, type ReportHistory } from '../report/report-history.js';
import { exampleProject } from './readme-example-kit.js';

let history: ReportHistory | undefined;
afterEach(async () => history?.repo.remove());

describe('the README report example', () => {
  it('builds the report of a repository in process through the package entry', async () => {
    const project = await exampleProject('report.mjs');
    history = await makeReportHistory();
    const before = await history.repo.git('status', '--porcelain', '--ignored');

    const result = await execa(process.execPath, ['report.mjs', history.repo.root], { cwd: project, reject: false });

    expect([result.exitCode, String(result.stderr)]).toEqual([0, '7 cycle(s), 2 commit(s)']);
    const html = String(result.stdout);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    const page = embeddedReportData(html);
    expect([page.totals.runs, page.totals.cycles, page.totals.commits]).toEqual([2, 7, 2]);
    expect(page.commits.map((commit: { sha: string }) => commit.sha)).toEqual([history.subtractCommit, history.docsCommit]);
    expect(await history.repo.git('status', '--porcelain', '--ignored')).toBe(before);
  });
});
