// The README's report example, run as written from a project that depends on this package
// (node_modules/hephaestus-agent links to the build): the report API comes from the package
// entry and builds the same page as `hephaestus report`, without writing into the repository.
import { execa } from 'execa';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { embeddedReportData, makeReportHistory, type ReportHistory } from '../report/report-history.js';
import { makeTempDir } from '../support/temp-repo.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
let history: ReportHistory | undefined;
afterEach(async () => history?.repo.remove());

async function readmeExample(name: string): Promise<string> {
  const readme = await readFile(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- readme-example: ${name.replace('.', '\\.')} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\`\\n`).exec(readme);
  if (!match?.[1]) throw new Error(`README.md has no example marked ${name}`);
  return match[1];
}

describe('the README report example', () => {
  it('builds the report of a repository in process through the package entry', async () => {
    const project = await makeTempDir('hephaestus-report-example-');
    await mkdir(path.join(project, 'node_modules'), { recursive: true });
    await symlink(PACKAGE_ROOT, path.join(project, 'node_modules', 'hephaestus-agent'), 'dir');
    await writeFile(path.join(project, 'package.json'), '{ "type": "module", "private": true }\n');
    await writeFile(path.join(project, 'report.mjs'), await readmeExample('report.mjs'));
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
