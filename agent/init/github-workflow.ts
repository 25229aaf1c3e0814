// `hephaestus init --ci github`: the scheduled workflow that runs Hephaestus unattended. The
// YAML is rendered from a structured object with the yaml package, so it always parses.
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ProjectDetection } from './detect-project.js';

export const GITHUB_WORKFLOW_FILE = '.github/workflows/hephaestus.yml';

export interface WorkflowSettings {
  /** When the run starts (UTC), in cron syntax. */
  cron: string;
  cycles: number;
  /** Passed as --max-minutes; the job's timeout leaves room for set-up, push and PR. */
  maxMinutes: number;
  nodeVersion: string;
  /** Installs the project's dependencies (its test tools, and Hephaestus when it is one). */
  install: string | null;
  /** How the workflow invokes the CLI. */
  hephaestus: string;
}

export const DEFAULT_WORKFLOW_SETTINGS = { cron: '23 3 * * *', cycles: 3, maxMinutes: 40, nodeVersion: '20' } as const;

/** The workflow as data: schedule + manual dispatch, no overlapping runs, least permissions. */
export function githubWorkflow(settings: WorkflowSettings): Record<string, unknown> {
  const cacheKey = 'hephaestus-${{ runner.os }}-${{ github.ref_name }}';
  return {
    name: 'Hephaestus',
    on: {
      schedule: [{ cron: settings.cron }],
      workflow_dispatch: {
        inputs: { cycles: { description: 'Evolution cycles to run', required: false, default: String(settings.cycles) } },
      },
    },
    // One run at a time; a scheduled run waits for the previous one instead of cancelling it.
    concurrency: { group: 'hephaestus', 'cancel-in-progress': false },
    permissions: { contents: 'write', 'pull-requests': 'write' },
    jobs: {
      evolve: {
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': settings.maxMinutes + 20,
        steps: [
          { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
          { uses: 'actions/setup-node@v4', with: { 'node-version': settings.nodeVersion } },
          ...(settings.install ? [{ name: 'Install dependencies', run: settings.install }] : []),
          {
            name: 'Restore the LLM and scan caches',
            uses: 'actions/cache@v4',
            with: {
              path: '.hephaestus/cache.sqlite',
              // A cache entry is immutable: save a new one per run, restore the newest one.
              key: `${cacheKey}-\${{ github.run_id }}`,
              'restore-keys': `${cacheKey}-\nhephaestus-\${{ runner.os }}-`,
            },
          },
          {
            name: 'Evolve',
            run: `${settings.hephaestus} run --ci --cycles \${{ inputs.cycles || ${settings.cycles} }} --max-minutes ${settings.maxMinutes} --pr`,
            env: {
              OPENAI_API_KEY: '${{ secrets.OPENAI_API_KEY }}',
              ANTHROPIC_API_KEY: '${{ secrets.ANTHROPIC_API_KEY }}',
              GH_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
            },
          },
        ],
      },
    },
  };
}

export function renderGithubWorkflow(settings: WorkflowSettings): string {
  const header = [
    '# Scheduled self-improvement with Hephaestus, written by `hephaestus init --ci github`.',
    '# Each run continues the evolution branch from the remote, commits only validated changes,',
    '# pushes the branch and opens or updates a draft pull request. Provider keys come from the',
    '# repository secrets OPENAI_API_KEY / ANTHROPIC_API_KEY; without them the offline engine runs.',
  ];
  return `${header.join('\n')}\n${stringify(githubWorkflow(settings), { lineWidth: 0 })}`;
}

/** Settings that fit the repository: how to install it and how to call Hephaestus there. */
export async function workflowSettingsFor(repoRoot: string, detection: ProjectDetection, hephaestusVersion: string): Promise<WorkflowSettings> {
  const packageJson = await readFile(path.join(repoRoot, 'package.json'), 'utf8')
    .then((text) => JSON.parse(text) as Record<string, unknown>)
    .catch(() => null);
  const dependencies = { ...(packageJson?.dependencies as object | undefined), ...(packageJson?.devDependencies as object | undefined) };
  const install = packageJson ? (detection.lockfiles.includes('package-lock.json') || detection.lockfiles.includes('npm-shrinkwrap.json') ? 'npm ci' : 'npm install') : null;
  // Hephaestus itself: npm ci builds it (prepare), and npx cannot run a package's own bin.
  const hephaestus =
    packageJson?.name === 'hephaestus' ? 'node dist/agent/cli/main.js' : 'hephaestus' in dependencies ? 'npx hephaestus' : `npx --yes hephaestus@${hephaestusVersion}`;
  return { ...DEFAULT_WORKFLOW_SETTINGS, install, hephaestus };
}

export interface WorkflowReport {
  file: string;
  written: boolean;
  existed: boolean;
}

/** Writes the workflow unless it exists (then only with `force`), like the config. */
export async function writeGithubWorkflow(repoRoot: string, settings: WorkflowSettings, options: { force?: boolean } = {}): Promise<WorkflowReport> {
  const file = path.join(repoRoot, GITHUB_WORKFLOW_FILE);
  const existed = await access(file).then(
    () => true,
    () => false,
  );
  if (existed && !options.force) return { file, written: false, existed };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, renderGithubWorkflow(settings));
  return { file, written: true, existed };
}
