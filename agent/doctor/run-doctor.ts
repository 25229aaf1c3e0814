// `hephaestus doctor`: every check in order, each one ✔/!/✘ with its fix; a check whose
// prerequisite failed is skipped rather than failing twice. The report is ok when none failed.
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { probeJail, type JailProbe } from '../../strategies/commands/resolve-isolation.js';
import { failed, passed, skipped, type CheckResult } from './doctor-check.js';
import { checkCommands, checkPublishing } from './command-checks.js';
import { checkGit, checkJail, checkNode, checkRepository, checkStateDir } from './environment-checks.js';
import { checkKey, checkModels, checkProviderChoice } from './provider-checks.js';

export interface DoctorOptions {
  /** The repository directory (--repo), default the current directory. */
  repoDir: string;
  /** --config FILE. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** The user-level config file; default from the environment ($XDG_CONFIG_HOME). */
  userConfigPath?: string | null;
  /** Default: this process's version. */
  nodeVersion?: string;
  /** Default: the memoised bubblewrap probe runs use. */
  probeJail?: () => Promise<JailProbe>;
  /** Run the configured commands on the base commit (default true). */
  commands?: boolean;
  /** The GitHub CLI executable (default "gh"). */
  gh?: string;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface DoctorReport {
  ok: boolean;
  checks: CheckResult[];
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? pino({ level: 'silent' });
  const signal = options.signal ?? new AbortController().signal;
  const checks: CheckResult[] = [];
  const add = (...results: CheckResult[]) => checks.push(...results);

  add(checkNode(options.nodeVersion ?? process.version));
  const git = await checkGit(env);
  add(git);
  const { result: repositoryResult, repository, head } = git.status === 'fail' ? { result: skipped('repository', 'needs git'), repository: null, head: null } : await checkRepository(path.resolve(options.repoDir));
  add(repositoryResult);

  let loaded: LoadedConfig | null = null;
  try {
    loaded = await loadConfig({ repoRoot: repository?.root ?? path.resolve(options.repoDir), configPath: options.configPath, env, ...(options.userConfigPath !== undefined ? { userConfigPath: options.userConfigPath } : {}) });
    const files = [loaded.file, loaded.userFile].filter((file): file is string => file !== null);
    add(passed('config', files.length === 0 ? 'no config file: running on the defaults' : `valid: ${files.join(', ')}`));
  } catch (error) {
    add(failed('config', (error as Error).message, 'Fix the file and path named above (or run "hephaestus init --force" to write a fresh one).'));
  }
  if (loaded === null) {
    add(...['provider', 'key', 'models', 'jail', 'state', 'commands'].map((id) => skipped(id, 'needs a valid config')));
    return report(checks);
  }
  const { config, apiKeys } = loaded;

  const { result: providerResult, choice } = checkProviderChoice(config, apiKeys);
  add(providerResult);
  const key = checkKey(config, apiKeys, choice.name);
  add(key);
  if (choice.name === 'offline') add(skipped('models', 'no models offline'));
  else if (key.status === 'fail') add(skipped('models', 'needs the key'));
  else add(...(await checkModels({ config, apiKeys, provider: choice.name, logger, signal })));

  const jail = await checkJail(config, options.probeJail ?? probeJail);
  add(jail);
  if (repository === null) {
    add(...['state', 'commands'].map((id) => skipped(id, 'needs a git repository')));
    return report(checks);
  }
  const state = await checkStateDir(repository);
  add(state);
  if (options.commands === false) add(skipped('commands', 'not run (--no-commands)'));
  else if (head === null) add(skipped('commands', 'needs a commit to run on'));
  else if (jail.status === 'fail' || state.status === 'fail') add(skipped('commands', 'needs the jail and a writable .hephaestus/'));
  else add(...(await checkCommands({ repository, baseCommit: head, config, logger, signal })));
  const publishing = await checkPublishing(repository, config, env, options.gh);
  if (publishing !== null) add(...publishing);
  return report(checks);
}

function report(checks: CheckResult[]): DoctorReport {
  return { ok: checks.every((check) => check.status !== 'fail'), checks };
}
