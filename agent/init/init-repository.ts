// `hephaestus init`: writes a hephaestus.config.json matching the detected project and keeps
// `.hephaestus/` out of git. Every command it would write is first run once on the untouched
// base commit in a sandbox; one that fails there is not enabled. Idempotent: an existing
// config is kept unless `force` is set.
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { CONFIG_FILE_NAME } from '../config/load-config.js';
import { configSchema, type ConfigInput } from '../config/schema.js';
import { runGit, type RepositoryLocation } from '../git/git-environment.js';
import { ensureStateDir, excludeFromGit } from '../state/state-dir.js';
import { createSandboxPool } from '../../sandbox/sandbox-pool.js';
import { detectProject, type ProjectDetection } from './detect-project.js';
import { CHECKED_STEPS, proposeCommands, type CheckedStep, type CommandProposal, type Proposals } from './propose-commands.js';
import { verifyCommands, type Verification } from './verify-commands.js';

/** Where the JSON Schema is when the project installs Hephaestus (package hephaestus-agent), and in Hephaestus itself. */
export const SCHEMA_LOCATIONS = ['./node_modules/hephaestus-agent/dist/hephaestus.config.schema.json', './dist/hephaestus.config.schema.json'] as const;

export interface InitOptions {
  force?: boolean;
  /** The config's "$schema"; by default the first of SCHEMA_LOCATIONS that exists, else none. */
  schemaReference?: string | null;
  /** Run the proposed commands on the base commit first (default true). */
  check?: boolean;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface InitReport {
  configFile: string;
  configWritten: boolean;
  configExisted: boolean;
  detection: ProjectDetection;
  excludeUpdated: boolean;
  /** The commands run on the base and what each did; null when nothing was checked. */
  verification: Verification | null;
  /** The commit the commands were checked on. */
  baseCommit: string | null;
  /** Why the commands were not checked, when they were not. */
  uncheckedReason: string | null;
}

export async function initRepository(repository: RepositoryLocation, options: InitOptions = {}): Promise<InitReport> {
  const configFile = path.join(repository.root, CONFIG_FILE_NAME);
  const configExisted = await access(configFile).then(
    () => true,
    () => false,
  );
  const detection = await detectProject(repository.root);
  const excludeUpdated = await excludeFromGit(repository);
  const stateDir = await ensureStateDir(repository);
  const schemaReference = options.schemaReference !== undefined ? options.schemaReference : await existingSchema(repository.root);
  const proposals = proposeCommands(detection);
  const report: InitReport = { configFile, configWritten: false, configExisted, detection, excludeUpdated, verification: null, baseCommit: null, uncheckedReason: null };
  if (configExisted && !options.force) return report;

  let chosen: Partial<Record<CheckedStep, CommandProposal>> = Object.fromEntries(CHECKED_STEPS.map((step) => [step, proposals.steps[step][0]]).filter(([, proposal]) => proposal));
  if (options.check === false) {
    report.uncheckedReason = 'not checked (--no-check)';
  } else {
    const head = await runGit(repository.root, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { allowFailure: true });
    if (head.exitCode !== 0) {
      report.uncheckedReason = 'not checked: the repository has no commit yet';
    } else if (CHECKED_STEPS.every((step) => proposals.steps[step].length === 0)) {
      report.uncheckedReason = null;
    } else {
      report.baseCommit = head.stdout.trim();
      const logger = options.logger ?? pino({ level: 'silent' });
      const pool = createSandboxPool({ repoRoot: repository.root, stateDir, size: 1, linkPaths: proposals.linkPaths, logger });
      try {
        await pool.recover(options.signal);
        report.verification = await verifyCommands(proposals, {
          repoRoot: repository.root,
          stateDir,
          baseCommit: report.baseCommit,
          pool,
          draft: (picked) => configForProject(detection, proposals, picked, schemaReference),
          logger,
          signal: options.signal ?? new AbortController().signal,
        });
      } finally {
        await pool.close();
      }
      chosen = report.verification.chosen;
    }
  }

  const config = configForProject(detection, proposals, chosen, schemaReference);
  configSchema.parse(config); // what init writes must always load
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
  report.configWritten = true;
  return report;
}

/** A "$schema" that editors can open: only a path that exists in the repository. */
async function existingSchema(root: string): Promise<string | null> {
  for (const location of SCHEMA_LOCATIONS) {
    if (await access(path.join(root, location)).then(() => true, () => false)) return location;
  }
  return null;
}

/** The config for the project with `chosen` commands per step (absent: the step is off). */
export function configForProject(
  detection: ProjectDetection,
  proposals: Proposals,
  chosen: Partial<Record<CheckedStep, CommandProposal>>,
  schemaReference: string | null,
): ConfigInput {
  const step = (name: 'typecheck' | 'lint') => {
    const proposal = chosen[name];
    return proposal ? { command: proposal.command, ...(proposal.files ? { files: proposal.files } : {}) } : { command: null };
  };
  const tests = chosen.tests;
  const defaultTestFiles = detection.language === 'python' ? ['**/test_*.py', '**/*_test.py'] : ['**/*.test.{ts,tsx,js,jsx,mjs,cjs,mts,cts}', '**/*.spec.{ts,tsx,js,jsx,mjs,cjs,mts,cts}'];
  return {
    ...(schemaReference !== null ? { $schema: schemaReference } : {}),
    llm: { provider: 'auto' },
    git: { branch: 'hephaestus/evolve' },
    sandbox: { linkPaths: proposals.linkPaths },
    validation: {
      syntax: { commands: proposals.syntax },
      typecheck: step('typecheck'),
      lint: step('lint'),
      tests: { command: tests?.command ?? null, files: tests?.files ?? defaultTestFiles },
    },
    strategies: { default: tests ? 'FULL_VALIDATION' : 'SYNTAX_ONLY' },
    guards: {
      protectedPaths: ['.github/**', CONFIG_FILE_NAME, ...detection.lockfiles],
      allowTestEdits: false,
    },
  };
}
