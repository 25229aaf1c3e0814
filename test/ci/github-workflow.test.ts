// `hephaestus init --ci github`: the workflow parses as YAML and holds the schedule, the
// concurrency group, least permissions, the cache and the run step; init stays idempotent.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { detectProject } from '../../agent/init/detect-project.js';
import { GITHUB_WORKFLOW_FILE, renderGithubWorkflow, workflowSettingsFor } from '../../agent/init/github-workflow.js';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo } from '../support/temp-repo.js';
import { useTestScope } from '../cycle/cycle-kit.js';

const scope = useTestScope();

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

async function readWorkflow(root: string): Promise<any> {
  return parse(await readFile(path.join(root, GITHUB_WORKFLOW_FILE), 'utf8'));
}

const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1';
const SETUP_NODE = 'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020';
const CACHE = 'actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae';
const UPLOAD_ARTIFACT = 'actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f';
const ENV = {
  CYCLES: '${{ inputs.cycles || 3 }}',
  OPENAI_API_KEY: '${{ secrets.OPENAI_API_KEY }}',
  ANTHROPIC_API_KEY: '${{ secrets.ANTHROPIC_API_KEY }}',
  GH_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
};
const CACHE_STEP = {
  name: 'Restore the LLM and scan caches',
  uses: CACHE,
  with: {
    path: '.hephaestus/cache.sqlite',
    key: 'hephaestus-${{ runner.os }}-${{ github.ref_name }}-${{ github.run_id }}',
    'restore-keys': 'hephaestus-${{ runner.os }}-${{ github.ref_name }}-\nhephaestus-${{ runner.os }}-',
  },
};
const reportSteps = (hephaestus: string) => [
  { name: 'Render the report', if: 'always()', 'continue-on-error': true, run: `${hephaestus} report` },
  {
    name: 'Keep the report',
    if: 'always()',
    uses: UPLOAD_ARTIFACT,
    with: { name: 'hephaestus-report-${{ github.run_id }}', path: '.hephaestus/report.html', 'include-hidden-files': true, 'if-no-files-found': 'ignore', 'retention-days': 14 },
  },
];
const LOG_STEP = {
  name: 'Keep the run log',
  if: 'always()',
  uses: UPLOAD_ARTIFACT,
  with: {
    name: 'hephaestus-${{ github.run_id }}',
    path: '.hephaestus/hephaestus.log\n.hephaestus/evolution.jsonl\n.hephaestus/pull-request.md',
    'include-hidden-files': true,
    'if-no-files-found': 'ignore',
    'retention-days': 14,
  },
};

describe('hephaestus init --ci github', () => {
  it('writes a scheduled, non-overlapping, least-privilege workflow with pinned actions, npm ci and the project\'s Node version', async () => {
    const repo = scope.use(await makeTempRepo({
      'package.json': JSON.stringify({ name: 'app', engines: { node: '>=22' }, devDependencies: { 'hephaestus-agent': '^0.1.0', vitest: '^4.0.0' } }),
      'package-lock.json': '{}',
    }));
    const result = await runCli(['init', '--repo', repo.root, '--ci', 'github', '--no-check'], { cwd: repo.root });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'Commands not checked (--no-check).',
      'Wrote hephaestus.config.json (detected: javascript, vitest).',
      'Added /.hephaestus/ to .git/info/exclude.',
      'Wrote .github/workflows/hephaestus.yml (cron "23 3 * * *" UTC, 3 cycles per run, draft pull requests). Add OPENAI_API_KEY or ANTHROPIC_API_KEY to the repository secrets, and let Actions open pull requests: Settings > Actions > General > Workflow permissions > "Allow GitHub Actions to create and approve pull requests".',
    ]);

    const text = await readFile(path.join(repo.root, GITHUB_WORKFLOW_FILE), 'utf8');
    const workflow = parse(text);
    expect(workflow.on).toEqual({
      schedule: [{ cron: '23 3 * * *' }],
      workflow_dispatch: { inputs: { cycles: { description: 'Evolution cycles to run', required: false, default: '3', type: 'number' } } },
    });
    expect(workflow.concurrency).toEqual({ group: 'hephaestus', 'cancel-in-progress': false });
    expect(workflow.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    const job = workflow.jobs.evolve;
    expect(job['runs-on']).toBe('ubuntu-latest');
    expect(job['timeout-minutes']).toBe(60);
    expect(job.steps).toEqual([
      { uses: CHECKOUT, with: { 'fetch-depth': 0 } },
      { uses: SETUP_NODE, with: { 'node-version-file': 'package.json', cache: 'npm' } },
      { name: 'Install dependencies', run: 'npm ci' },
      CACHE_STEP,
      // The project depends on hephaestus-agent: its own pinned copy runs, nothing is fetched.
      { name: 'Evolve', run: 'npx --no-install hephaestus run --ci --cycles "$CYCLES" --max-minutes 40 --pr', env: ENV },
      ...reportSteps('npx --no-install hephaestus'),
      LOG_STEP,
    ]);
    // Every action is pinned to a full commit SHA with its release in a comment; no input is spliced into a script.
    expect(text.split('\n').filter((line) => line.includes('uses:')).map((line) => line.trim())).toEqual([
      `- uses: ${CHECKOUT} # v7.0.1`,
      `- uses: ${SETUP_NODE} # v7.0.0`,
      `uses: ${CACHE} # v5.0.5`,
      `uses: ${UPLOAD_ARTIFACT} # v7.0.0`,
      `uses: ${UPLOAD_ARTIFACT} # v7.0.0`,
    ]);
    expect(job.steps.filter((step: any) => typeof step.run === 'string' && step.run.includes('${{'))).toEqual([]);
  });

  it('never overwrites an existing workflow without --force', async () => {
    const repo = scope.use(await makeTempRepo({ 'notes.txt': 'hello\n' }));
    await repo.write(GITHUB_WORKFLOW_FILE, 'name: mine\n');
    const kept = await runCli(['init', '--repo', repo.root, '--ci', 'github'], { cwd: repo.root });
    expect(kept.exitCode).toBe(0);
    expect(kept.stdout.split('\n').at(-1)).toBe('.github/workflows/hephaestus.yml already exists; left unchanged (use --force to overwrite).');
    expect(await readFile(path.join(repo.root, GITHUB_WORKFLOW_FILE), 'utf8')).toBe('name: mine\n');

    await repo.write('.nvmrc', '22\n');
    const forced = await runCli(['init', '--repo', repo.root, '--ci', 'github', '--force'], { cwd: repo.root });
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout.split('\n').at(-1)).toMatch(/^Overwrote \.github\/workflows\/hephaestus\.yml /);
    const workflow = await readWorkflow(repo.root);
    const { version } = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    // No package.json: nothing to install but Hephaestus itself, exactly this package and version.
    expect(workflow.jobs.evolve.steps).toEqual([
      { uses: CHECKOUT, with: { 'fetch-depth': 0 } },
      { uses: SETUP_NODE, with: { 'node-version-file': '.nvmrc', 'package-manager-cache': false } },
      { name: 'Install Hephaestus', run: `npm install --global --no-audit --no-fund hephaestus-agent@${version}` },
      CACHE_STEP,
      { name: 'Evolve', run: 'hephaestus run --ci --cycles "$CYCLES" --max-minutes 40 --pr', env: ENV },
      ...reportSteps('hephaestus'),
      LOG_STEP,
    ]);
  });

  it('rejects an unknown CI provider (exit 2)', async () => {
    const repo = scope.use(await makeTempRepo({ 'notes.txt': 'hello\n' }));
    const result = await runCli(['init', '--repo', repo.root, '--ci', 'gitlab'], { cwd: repo.root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("error: option '--ci <provider>' argument 'gitlab' is invalid. Allowed choices are github.");
  });
});

describe("the project's own workflow", () => {
  it('is what init --ci github generates for this repository', async () => {
    const committed = await readFile(path.join(PROJECT_ROOT, GITHUB_WORKFLOW_FILE), 'utf8');
    const settings = await workflowSettingsFor(PROJECT_ROOT, await detectProject(PROJECT_ROOT), '0.0.0');
    expect(settings).toMatchObject({ install: 'npm ci', installHephaestus: null, hephaestus: 'node dist/agent/cli/main.js', node: { versionFile: 'package.json' } });
    expect(committed).toBe(renderGithubWorkflow(settings));
  });

  it('is described in the README with the repository setting that lets Actions open pull requests', async () => {
    const readme = (await readFile(path.join(PROJECT_ROOT, 'README.md'), 'utf8')).replace(/\s+/g, ' ');
    expect(readme).toContain('the repository must let workflows open one: **Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests"**');
  });
});
