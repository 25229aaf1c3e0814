// What a jailed command may see and do (DESIGN.md §5, "The jail"). Every input is explicit:
// steps describe the sandbox, the paths it shares read-only and the variables it needs, and
// the runner turns that into a bubblewrap command line, limits and an environment.

export type IsolationSetting = 'auto' | 'bwrap' | 'none';
export type NetworkMode = 'on' | 'off';
/** How limits are enforced (limit-mechanism.ts); absent = 'auto'. */
export type LimitMechanismSetting = 'auto' | 'cgroup-v2' | 'cgroup-v1' | 'rlimit';

export interface StepLimits {
  /** Processes and threads at once; null = no limit. */
  processes: number | null;
  /** Largest file a command may write, in bytes; null = no limit. */
  fileSizeBytes: number | null;
  /** Memory of the whole command, in bytes; null = no limit. */
  memoryBytes: number | null;
  mechanism?: LimitMechanismSetting;
}

export interface JailSettings {
  isolation: IsolationSetting;
  network: NetworkMode;
  /** Writable inside the jail (the sandbox worktree, per-sandbox state, a temp directory). */
  writablePaths: readonly string[];
  /** Visible but read-only (linked paths such as node_modules, editable installs). */
  readOnlyPaths: readonly string[];
  /** Not visible at all: an empty directory takes their place (the user's repository, its git directory). */
  hiddenPaths: readonly string[];
  /** Files replaced by an empty read-only file (the sandbox's `.git` link). */
  maskedFiles: readonly string[];
  /** Variables on top of the allow-listed ones (`sandbox.env`, per-command environment). */
  environment: Readonly<Record<string, string>>;
  limits: StepLimits;
}

export const DEFAULT_LIMITS: StepLimits = {
  processes: 4096,
  fileSizeBytes: 1024 * 1024 * 1024,
  memoryBytes: 8 * 1024 * 1024 * 1024,
};

/** Adds paths and variables to a jail (per-command inputs on top of the sandbox's). */
export function extendJail(
  jail: JailSettings,
  extra: { writablePaths?: readonly string[]; readOnlyPaths?: readonly string[]; environment?: Readonly<Record<string, string>> },
): JailSettings {
  return {
    ...jail,
    writablePaths: [...jail.writablePaths, ...(extra.writablePaths ?? [])],
    readOnlyPaths: [...jail.readOnlyPaths, ...(extra.readOnlyPaths ?? [])],
    environment: { ...jail.environment, ...(extra.environment ?? {}) },
  };
}

/** The jail of a command when the caller names none: read-only root, nothing writable, no network. */
export const DEFAULT_JAIL: JailSettings = {
  isolation: 'auto',
  network: 'off',
  writablePaths: [],
  readOnlyPaths: [],
  hiddenPaths: [],
  maskedFiles: [],
  environment: {},
  limits: DEFAULT_LIMITS,
};
