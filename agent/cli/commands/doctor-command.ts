// `hephaestus doctor [--repo DIR] [--json] [--config FILE] [--no-commands]`: one line per check
// (✔ passed, ! works with a caveat, ✘ failed, - skipped) and the fix under each one that is not
// fine; exit 1 when a check failed.
import { runDoctor, type DoctorReport } from '../../doctor/run-doctor.js';
import type { CheckStatus } from '../../doctor/doctor-check.js';
import type { CliRuntime } from '../cli-runtime.js';

export interface DoctorCommandOptions {
  repo?: string;
  config?: string;
  json?: boolean;
  commands?: boolean;
}

const MARK: Record<CheckStatus, string> = { pass: '✔', warn: '!', fail: '✘', skip: '-' };

export async function runDoctorCommand(options: DoctorCommandOptions, runtime: CliRuntime): Promise<number> {
  const report = await runDoctor({
    repoDir: options.repo ?? process.cwd(),
    ...(options.config !== undefined ? { configPath: options.config } : {}),
    ...(options.commands === false ? { commands: false } : {}),
    signal: runtime.signal,
  });
  if (options.json) runtime.io.out(JSON.stringify(report));
  else for (const line of formatDoctorReport(report)) runtime.io.out(line);
  return report.ok ? 0 : 1;
}

export function formatDoctorReport(report: DoctorReport): string[] {
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]} ${check.id.padEnd(16)} ${check.detail.replaceAll('\n', '\n  ')}`);
    if (check.fix !== null) lines.push(`  fix: ${check.fix}`);
  }
  const failures = report.checks.filter((check) => check.status === 'fail').length;
  lines.push('', failures === 0 ? 'All checks passed.' : `${failures} check${failures === 1 ? '' : 's'} failed.`);
  return lines;
}
