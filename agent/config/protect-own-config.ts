// The agent's own configuration names the commands that judge a change, so wherever it lives
// (`--config FILE` inside the repository included) no plan may change it.
import path from 'node:path';
import type { Config } from './schema.js';

export interface OwnConfigLocation {
  repoRoot: string;
  /** The config file that was read; null on defaults. */
  configFile: string | null;
}

/** The config file's repository-relative POSIX path, or null when it lies outside the repository. */
export function configFileInRepository(location: OwnConfigLocation): string | null {
  if (!location.configFile) return null;
  const relative = path.relative(location.repoRoot, location.configFile).split(path.sep).join('/');
  if (relative === '' || relative === '..' || relative.startsWith('../') || path.isAbsolute(relative)) return null;
  return relative;
}

/** A copy of `config` whose protected paths include the config file that was read. */
export function protectOwnConfig(config: Config, location: OwnConfigLocation): Config {
  const relative = configFileInRepository(location);
  if (relative === null || config.guards.protectedPaths.includes(relative)) return config;
  return { ...config, guards: { ...config.guards, protectedPaths: [...config.guards.protectedPaths, relative] } };
}
