// `hephaestus init [--repo DIR] [--force] [--no-check] [--ci github]`: writes a config for the
// detected project, after running each proposed command once on the base commit (a failing one
// is not enabled and the output says why), and with --ci the scheduled workflow. Existing files
// are kept (an existing config is validated, so a broken one is reported) unless --force.
import path from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import type { LogLevel } from '../../config/log-levels.js';
import { locateRepository } from '../../git/git-environment.js';
import { GITHUB_WORKFLOW_FILE, workflowSettingsFor, writeGithubWorkflow } from '../../init/github-workflow.js';
import { initRepository, type InitReport } from '../../init/init-repository.js';
import type { CommandCheck } from '../../init/verify-commands.js';
import { createLogger } from '../../logging/create-logger.js';
import { collectSecrets } from '../../logging/redact-secrets.js';
import { acquireRunLock } from '../../state/run-lock.js';
import { ensureStateDir, excludeFromGit } from '../../state/state-dir.js';
import { displayPath } from '../display-path.js';
import { VERSION, type CliRuntime } from '../cli-runtime.js';

export interface InitCommandOptions {
  repo?: string;
  force?: boolean;
  /** false: write the detected commands without running them first. */
  check?: boolean;
  logLevel?: LogLevel;
  /** Also write the scheduled workflow of this CI provider. */
  ci?: 'github';
}

export async function runInitCommand(options: InitCommandOptions, runtime: CliRuntime): Promise<number> {
  const repository = await locateRepository(path.resolve(options.repo ?? process.cwd()));
  const excludeUpdated = await excludeFromGit(repository);
  const stateDir = await ensureStateDir(repository);
  const log = createLogger({ level: options.logLevel ?? 'info', stateDir, console: 'pretty', secrets: collectSecrets() });
  runtime.loggers.add(log);
  const logger = log.logger.child({ command: 'init' });
  const lock = await acquireRunLock(stateDir, {
    command: 'init',
    onStaleLock: (stale) => logger.warn({ stale }, `took over a stale run lock${stale ? ` left by pid ${stale.pid} (${stale.command})` : ''}; that process is gone`),
  });
  try {
    const report = await initRepository(repository, { force: options.force ?? false, check: options.check ?? true, logger, signal: runtime.signal });
    logger.info({ report }, 'init-finished');
    const relative = displayPath(report.configFile);
    const { detection } = report;
    const kind = [detection.language, detection.testFramework === 'none' ? 'no test runner' : detection.testFramework, detection.typescript ? 'typescript' : null]
      .filter(Boolean)
      .join(', ');
    if (report.configWritten) {
      for (const line of checkReport(report)) runtime.io.out(line);
      runtime.io.out(`${report.configExisted ? 'Overwrote' : 'Wrote'} ${relative} (detected: ${kind}).`);
    } else {
      await loadConfig({ repoRoot: repository.root }); // report a broken existing config (exit 2)
      runtime.io.out(`${relative} already exists and is valid; left unchanged (use --force to overwrite). Detected: ${kind}.`);
    }
    runtime.io.out(excludeUpdated || report.excludeUpdated ? 'Added /.hephaestus/ to .git/info/exclude.' : '.hephaestus/ is already excluded from git.');
    if (options.ci === 'github') {
      const settings = await workflowSettingsFor(repository.root, detection, VERSION);
      const workflow = await writeGithubWorkflow(repository.root, settings, { force: options.force ?? false });
      logger.info({ workflow, settings }, 'workflow-written');
      runtime.io.out(
        workflow.written
          ? `${workflow.existed ? 'Overwrote' : 'Wrote'} ${GITHUB_WORKFLOW_FILE} (cron "${settings.cron}" UTC, ${settings.cycles} cycles per run, draft pull requests). Add OPENAI_API_KEY or ANTHROPIC_API_KEY to the repository secrets, and let Actions open pull requests: Settings > Actions > General > Workflow permissions > "Allow GitHub Actions to create and approve pull requests".`
          : `${GITHUB_WORKFLOW_FILE} already exists; left unchanged (use --force to overwrite).`,
      );
    }
    return 0;
  } finally {
    await lock.release();
  }
}

/** What ran on the base commit and what it did, one block per command; then what is enabled. */
function checkReport(report: InitReport): string[] {
  const verification = report.verification;
  if (verification === null) return report.uncheckedReason ? [`Commands ${report.uncheckedReason}.`] : [];
  const lines = [`Ran each proposed command once on the untouched base ${report.baseCommit!.slice(0, 12)} in a sandbox:`];
  for (const check of verification.checks) lines.push(`  ${check.proposal.step}: ${check.proposal.command} (${check.proposal.source}): ${verdictText(check)}`);
  const steps = ['typecheck', 'lint', 'tests'] as const;
  const off = steps.filter((step) => !verification.chosen[step] && verification.checks.some((check) => check.proposal.step === step));
  if (off.length > 0) lines.push(`Not enabled (no command passed on the base): ${off.join(', ')}. Fix the command or the repository, then run init --force.`);
  return lines;
}

function verdictText(check: CommandCheck): string {
  const seconds = `${(check.durationMs / 1000).toFixed(1)} s`;
  switch (check.verdict) {
    case 'passed':
      return `passed (${seconds}), enabled`;
    case 'skipped':
      return `nothing to check yet (${check.detail}), enabled`;
    case 'not-installed':
      return `not run: ${check.detail}; not enabled`;
    case 'failed':
      return `FAILED on the base (${seconds}), not enabled:\n    ${check.detail}`;
  }
}
