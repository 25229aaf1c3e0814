// The guards of unattended runs (`run --ci`): whatever the user's config says, the workflows,
// the agent's own config and the lockfiles are protected, and one cycle may never change more
// than the whole run is allowed to. Existing tests stay protected unless the config opts in.
import type { Config } from '../config/schema.js';
import { CONFIG_FILE_NAME } from '../config/load-config.js';
import { configFileInRepository } from '../config/protect-own-config.js';
import { LOCKFILES } from '../init/detect-project.js';

/** Paths no unattended run may change: CI definitions could exfiltrate secrets or skip checks. */
export const UNATTENDED_PROTECTED_PATHS: readonly string[] = ['.github/**', CONFIG_FILE_NAME, ...LOCKFILES.map((name) => `**/${name}`)];

export interface UnattendedOptions {
  repoRoot: string;
  /** The config file that was read (--config may name another one); null on defaults. */
  configFile: string | null;
}

/**
 * A copy of `config` with the unattended guards added. `guards.allowTestEdits` is kept as
 * configured: its default is false, so it is true only when the user explicitly allowed it.
 */
export function unattendedConfig(config: Config, options: UnattendedOptions): Config {
  const extra = [...UNATTENDED_PROTECTED_PATHS];
  const ownConfig = configFileInRepository(options);
  if (ownConfig !== null) extra.push(ownConfig);
  const protectedPaths = [...config.guards.protectedPaths];
  for (const glob of extra) if (!protectedPaths.includes(glob)) protectedPaths.push(glob);
  return {
    ...config,
    guards: {
      ...config.guards,
      protectedPaths,
      maxFiles: Math.min(config.guards.maxFiles, config.ci.maxFilesPerRun),
      maxChangedLines: Math.min(config.guards.maxChangedLines, config.ci.maxChangedLinesPerRun),
    },
  };
}
