// `hephaestus init --ci github`: the scheduled workflow that runs Hephaestus unattended. The
// YAML is rendered from a structured object with the yaml package, so it always parses.
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ProjectDetection } from './detect-project.js';
import { PACKAGE_NAME } from '../package-root.js';

export const GITHUB_WORKFLOW_FILE = '.github/workflows/hephaestus.yml';

/** Actions pinned to full commit SHAs (a tag can be moved; a commit cannot), with the release they are. */
export const PINNED_ACTIONS = {
  checkout: { uses: 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1' },
  setupNode: { uses: 'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0' },
  cache: { uses: 'actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae', version: 'v5.0.5' },
  uploadArtifact: { uses: 'actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', version: 'v7.0.0' },
} as const;

export interface WorkflowSettings {
  /** When the run starts (UTC), in cron syntax. */
  cron: string;
  cycles: number;
  /** Passed as --max-minutes; the job's timeout leaves room for set-up, push and PR. */
  maxMinutes: number;
  /** Where setup-node reads the Node version (.nvmrc, .node-version, package.json engines), or a version. */
  node: { versionFile: string } | { version: string };
  /** Installs the project's dependencies (its test tools, and Hephaestus when it is one). */
  install: string | null;
  /** setup-node's dependency cache; only with a lockfile. */
  packageCache: 'npm' | null;
  /** Installs the Hephaestus CLI, exactly this package and version; null when the project has it. */
  installHephaestus: string | null;
  /** How the workflow invokes the CLI. */
  hephaestus: string;
}

export const DEFAULT_WORKFLOW_SETTINGS = { cron: '23 3 * * *', cycles: 3, maxMinutes: 40 } as const;

/** The workflow as data: schedule + manual dispatch, no overlapping runs, least permissions. */
export function githubWorkflow(settings: WorkflowSettings): Record<string, unknown> {
  const cacheKey = 'hephaestus-${{ runner.os }}-${{ github.ref_name }}';
  const node = 'versionFile' in settings.node ? { 'node-version-file': settings.node.versionFile } : { 'node-version': settings.node.version };
  return {
    name: 'Hephaestus',
    on: {
      schedule: [{ cron: settings.cron }],
      workflow_dispatch: {
        inputs: { cycles: { description: 'Evolution cycles to run', required: false, default: String(settings.cycles), type: 'number' } },
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
          { uses: PINNED_ACTIONS.checkout.uses, with: { 'fetch-depth': 0 } },
          // Without a lockfile there is nothing to key a dependency cache on.
          { uses: PINNED_ACTIONS.setupNode.uses, with: { ...node, ...(settings.packageCache ? { cache: settings.packageCache } : { 'package-manager-cache': false }) } },
          ...(settings.install ? [{ name: 'Install dependencies', run: settings.install }] : []),
          ...(settings.installHephaestus ? [{ name: 'Install Hephaestus', run: settings.installHephaestus }] : []),
          {
            name: 'Restore the LLM and scan caches',
            uses: PINNED_ACTIONS.cache.uses,
            with: {
              path: '.hephaestus/cache.sqlite',
              // A cache entry is immutable: save a new one per run, restore the newest one.
              key: `${cacheKey}-\${{ github.run_id }}`,
              'restore-keys': `${cacheKey}-\nhephaestus-\${{ runner.os }}-`,
            },
          },
          {
            name: 'Evolve',
            // Inputs reach the shell through the environment, never spliced into the script.
            run: `${settings.hephaestus} run --ci --cycles "$CYCLES" --max-minutes ${settings.maxMinutes} --pr`,
            env: {
              CYCLES: `\${{ inputs.cycles || ${settings.cycles} }}`,
              OPENAI_API_KEY: '${{ secrets.OPENAI_API_KEY }}',
              ANTHROPIC_API_KEY: '${{ secrets.ANTHROPIC_API_KEY }}',
              GH_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
            },
          },
          {
            // The history as one HTML page, even when the run failed; its own failure fails nothing.
            name: 'Render the report',
            if: 'always()',
            'continue-on-error': true,
            run: `${settings.hephaestus} report`,
          },
          {
            name: 'Keep the report',
            if: 'always()',
            uses: PINNED_ACTIONS.uploadArtifact.uses,
            with: {
              name: 'hephaestus-report-${{ github.run_id }}',
              path: '.hephaestus/report.html',
              'include-hidden-files': true,
              'if-no-files-found': 'ignore',
              'retention-days': 14,
            },
          },
          {
            name: 'Keep the run log',
            if: 'always()',
            uses: PINNED_ACTIONS.uploadArtifact.uses,
            with: {
              name: 'hephaestus-${{ github.run_id }}',
              path: '.hephaestus/hephaestus.log\n.hephaestus/evolution.jsonl\n.hephaestus/pull-request.md',
              'include-hidden-files': true,
              'if-no-files-found': 'ignore',
              'retention-days': 14,
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
    '# Opening pull requests needs Settings > Actions > General > Workflow permissions >',
    '# "Allow GitHub Actions to create and approve pull requests".',
  ];
  const text = stringify(githubWorkflow(settings), { lineWidth: 0 });
  // The release each pinned commit is, as a comment on its line.
  const commented = Object.values(PINNED_ACTIONS).reduce((yaml, action) => yaml.replaceAll(`uses: ${action.uses}\n`, `uses: ${action.uses} # ${action.version}\n`), text);
  return `${header.join('\n')}\n${commented}`;
}

/** Settings that fit the repository: its Node version, how to install it and how to call Hephaestus there. */
export async function workflowSettingsFor(repoRoot: string, detection: ProjectDetection, hephaestusVersion: string): Promise<WorkflowSettings> {
  const packageJson = await readFile(path.join(repoRoot, 'package.json'), 'utf8')
    .then((text) => JSON.parse(text) as Record<string, unknown>)
    .catch(() => null);
  const dependencies = { ...(packageJson?.dependencies as object | undefined), ...(packageJson?.devDependencies as object | undefined) };
  const npmLockfile = detection.lockfiles.includes('package-lock.json') || detection.lockfiles.includes('npm-shrinkwrap.json');
  const install = packageJson ? (npmLockfile ? 'npm ci' : 'npm install') : null;
  const hephaestusItself = isHephaestusItself(packageJson);
  // Hephaestus itself: npm ci builds it (prepare), and npx cannot run a package's own bin.
  const hephaestus = hephaestusItself ? 'node dist/agent/cli/main.js' : PACKAGE_NAME in dependencies ? 'npx --no-install hephaestus' : 'hephaestus';
  const installHephaestus = hephaestusItself || PACKAGE_NAME in dependencies ? null : `npm install --global --no-audit --no-fund ${PACKAGE_NAME}@${hephaestusVersion}`;
  return { ...DEFAULT_WORKFLOW_SETTINGS, node: await nodeVersionOf(repoRoot, packageJson), install, packageCache: npmLockfile ? 'npm' : null, installHephaestus, hephaestus };
}

function isHephaestusItself(packageJson: Record<string, unknown> | null): boolean {
  const bin = packageJson?.bin as Record<string, string> | undefined;
  return packageJson?.name === PACKAGE_NAME || (packageJson?.name === 'hephaestus' && bin?.hephaestus === 'dist/agent/cli/main.js');
}

/** The project's own Node version: .nvmrc, .node-version, package.json engines.node; else the current LTS line. */
async function nodeVersionOf(repoRoot: string, packageJson: Record<string, unknown> | null): Promise<WorkflowSettings['node']> {
  for (const file of ['.nvmrc', '.node-version']) {
    const text = await readFile(path.join(repoRoot, file), 'utf8').catch(() => null);
    if (text !== null && text.trim() !== '') return { versionFile: file };
  }
  const engines = packageJson?.engines as Record<string, unknown> | undefined;
  if (typeof engines?.node === 'string' && engines.node.trim() !== '') return { versionFile: 'package.json' };
  return { version: 'lts/*' };
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
