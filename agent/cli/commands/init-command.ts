// `hephaestus init [--repo DIR] [--force]`
import path from 'node:path';
import { locateRepository } from '../../git/git-environment.js';
import { initRepository } from '../../init/init-repository.js';
import type { CommandIo } from '../command-io.js';

export interface InitCommandOptions {
  repo?: string;
  force?: boolean;
}

export async function runInitCommand(options: InitCommandOptions, io: CommandIo): Promise<number> {
  const repository = await locateRepository(path.resolve(options.repo ?? process.cwd()));
  const report = await initRepository(repository, { force: options.force ?? false });
  const relative = path.relative(process.cwd(), report.configFile) || report.configFile;
  const kind = [report.detection.language, report.detection.testFramework !== 'none' ? report.detection.testFramework : null, report.detection.typescript ? 'typescript' : null]
    .filter(Boolean)
    .join(', ');
  if (report.configWritten) {
    io.out(`${report.configExisted ? 'Overwrote' : 'Wrote'} ${relative} (detected: ${kind}).`);
  } else {
    io.out(`${relative} already exists; left unchanged (use --force to overwrite). Detected: ${kind}.`);
  }
  io.out(report.excludeUpdated ? 'Added /.hephaestus/ to .git/info/exclude.' : '.hephaestus/ is already excluded from git.');
  return 0;
}
