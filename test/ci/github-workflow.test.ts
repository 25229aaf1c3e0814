// `hephaestus init --ci github`: the workflow parses as YAML and holds the schedule, the
// concurrency group, least permissions, the cache and the run step; init stays idempotent.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_WORKFLOW_SETTINGS, GITHUB_WORKFLOW_FILE, renderGithubWorkflow } from '../../agent/init/github-workflow.js';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
afterEach(async () => repo?.remove());

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

async function readWorkflow(root: string): Promise<any> {
  return parse(await readFile(path.join(root, GITHUB_WORKFLOW_FILE), 'utf8'));
}

describe('hephaestus init --ci github', () => {
  it('writes a scheduled, non-overlapping, least-privilege workflow that caches .hephaestus/cache.sqlite', async () => {
    repo = await makeTempRepo({
      'package.json': JSON.stringify({ name: 'app', devDependencies: { hephaestus: '^0.1.0', vitest: '^4.0.0' } }),
      'package-lock.json': '{}',
    });
    const result = await runCli(['init', '--repo', repo.root, '--ci', 'github'], { cwd: repo.root });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'Wrote hephaestus.config.json (detected: javascript, vitest).',
      'Added /.hephaestus/ to .git/info/exclude.',
      'Wrote .github/workflows/hephaestus.yml (cron "23 3 * * *" UTC, 3 cycles per run, draft pull requests). Add OPENAI_API_KEY or ANTHROPIC_API_KEY to the repository secrets.',
    ]);

    const workflow = await readWorkflow(repo.root);
    expect(workflow.on).toEqual({
      schedule: [{ cron: '23 3 * * *' }],
      workflow_dispatch: { inputs: { cycles: { description: 'Evolution cycles to run', required: false, default: '3' } } },
    });
    expect(workflow.concurrency).toEqual({ group: 'hephaestus', 'cancel-in-progress': false });
    expect(workflow.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    const job = workflow.jobs.evolve;
    expect(job['runs-on']).toBe('ubuntu-latest');
    expect(job['timeout-minutes']).toBe(60);
    expect(job.steps).toEqual([
      { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
      { uses: 'actions/setup-node@v4', with: { 'node-version': '20' } },
      { name: 'Install dependencies', run: 'npm ci' },
      {
        name: 'Restore the LLM and scan caches',
        uses: 'actions/cache@v4',
        with: {
          path: '.hephaestus/cache.sqlite',
          key: 'hephaestus-${{ runner.os }}-${{ github.ref_name }}-${{ github.run_id }}',
          'restore-keys': 'hephaestus-${{ runner.os }}-${{ github.ref_name }}-\nhephaestus-${{ runner.os }}-',
        },
      },
      {
        name: 'Evolve',
        run: 'npx hephaestus run --ci --cycles ${{ inputs.cycles || 3 }} --max-minutes 40 --pr',
        env: {
          OPENAI_API_KEY: '${{ secrets.OPENAI_API_KEY }}',
          ANTHROPIC_API_KEY: '${{ secrets.ANTHROPIC_API_KEY }}',
          GH_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
        },
      },
    ]);
  });

  it('never overwrites an existing workflow without --force', async () => {
    repo = await makeTempRepo({ 'notes.txt': 'hello\n' });
    await repo.write(GITHUB_WORKFLOW_FILE, 'name: mine\n');
    const kept = await runCli(['init', '--repo', repo.root, '--ci', 'github'], { cwd: repo.root });
    expect(kept.exitCode).toBe(0);
    expect(kept.stdout.split('\n').at(-1)).toBe('.github/workflows/hephaestus.yml already exists; left unchanged (use --force to overwrite).');
    expect(await readFile(path.join(repo.root, GITHUB_WORKFLOW_FILE), 'utf8')).toBe('name: mine\n');

    const forced = await runCli(['init', '--repo', repo.root, '--ci', 'github', '--force'], { cwd: repo.root });
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout.split('\n').at(-1)).toMatch(/^Overwrote \.github\/workflows\/hephaestus\.yml /);
    const workflow = await readWorkflow(repo.root);
    // No package.json: nothing to install, Hephaestus comes from the registry at this version.
    expect(workflow.jobs.evolve.steps.map((step: any) => step.name ?? step.uses)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'Restore the LLM and scan caches', 'Evolve']);
    expect(workflow.jobs.evolve.steps.at(-1).run).toMatch(/^npx --yes hephaestus@\d+\.\d+\.\d+\S* run --ci --cycles \$\{\{ inputs\.cycles \|\| 3 \}\} --max-minutes 40 --pr$/);
  });

  it('rejects an unknown CI provider (exit 2)', async () => {
    repo = await makeTempRepo({ 'notes.txt': 'hello\n' });
    const result = await runCli(['init', '--repo', repo.root, '--ci', 'gitlab'], { cwd: repo.root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("error: option '--ci <provider>' argument 'gitlab' is invalid. Allowed choices are github.");
  });
});

describe("the project's own workflow", () => {
  it('is what init --ci github generates for this repository', async () => {
    const committed = await readFile(path.join(PROJECT_ROOT, GITHUB_WORKFLOW_FILE), 'utf8');
    expect(committed).toBe(renderGithubWorkflow({ ...DEFAULT_WORKFLOW_SETTINGS, install: 'npm ci', hephaestus: 'node dist/agent/cli/main.js' }));
    const workflow = parse(committed);
    expect(workflow.jobs.evolve.steps.at(-1).run).toBe('node dist/agent/cli/main.js run --ci --cycles ${{ inputs.cycles || 3 }} --max-minutes 40 --pr');
  });
});

