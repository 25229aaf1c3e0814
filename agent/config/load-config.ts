// Loads hephaestus.config.json (or --config FILE; JSONC: comments and trailing commas are
// allowed) over the user-level config ($XDG_CONFIG_HOME/hephaestus/config.json, same schema),
// then environment overrides and command-line values, and validates with zod. Every problem becomes one ConfigError naming file, path and fix.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { formatConfigIssues } from './format-config-issues.js';
import { parseConfigText } from './parse-config-text.js';
import { LOG_LEVELS, PROVIDERS, configSchema, type Config } from './schema.js';

export const CONFIG_FILE_NAME = 'hephaestus.config.json';
export const USER_CONFIG_FILE_NAME = 'config.json';

export interface LoadConfigOptions {
  repoRoot: string;
  /** Explicit --config FILE; must exist. */
  configPath?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** The user-level config file; default `$XDG_CONFIG_HOME/hephaestus/config.json`; null reads none. */
  userConfigPath?: string | null;
  /** Values from the command line (--model, --max-cost), over the files and the environment. */
  overrides?: Record<string, unknown>;
}

export interface ApiKeys {
  openai: string | null;
  anthropic: string | null;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read, or null when running on defaults. */
  file: string | null;
  /** The user-level file read under it (same schema, lower precedence), or null. */
  userFile: string | null;
  /** Secrets come only from the environment, never from the file; keep them out of logs. */
  apiKeys: ApiKeys;
}

const ENV_OVERRIDES = [
  { variable: 'HEPHAESTUS_LLM_PROVIDER', path: ['llm', 'provider'], schema: z.enum(PROVIDERS) },
  { variable: 'HEPHAESTUS_LLM_BASE_URL', path: ['llm', 'baseUrl'], schema: z.url() },
  { variable: 'HEPHAESTUS_LOG_LEVEL', path: ['log', 'level'], schema: z.enum(LOG_LEVELS) },
  { variable: 'HEPHAESTUS_MODEL', path: ['llm', 'models', 'main'], schema: z.string().trim().min(1) },
  { variable: 'HEPHAESTUS_LIGHT_MODEL', path: ['llm', 'models', 'light'], schema: z.string().trim().min(1) },
] as const;

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const explicit = options.configPath !== undefined;
  const file = path.resolve(options.repoRoot, options.configPath ?? CONFIG_FILE_NAME);
  const userPath = options.userConfigPath === undefined ? userConfigFileOf(env) : options.userConfigPath;

  const repository = await readConfigObject(file, explicit);
  const user = userPath === null ? { raw: {}, source: null } : await readConfigObject(userPath, false);
  // The user-level file is checked on its own first, so its problems name it.
  if (user.source !== null) validate(user.raw, user.source);

  const merged = mergeConfig(user.raw, repository.raw);
  const withEnv = applyEnvOverrides(merged, env);
  const withOverrides = options.overrides === undefined ? withEnv : mergeConfig(withEnv, options.overrides);
  const config = validate(withOverrides, repository.source ?? file);
  return { config, file: repository.source, userFile: user.source, apiKeys: readApiKeys(config, env) };
}

/** `$XDG_CONFIG_HOME/hephaestus/config.json`, else `~/.config/hephaestus/config.json`; null without a home. */
export function userConfigFileOf(env: NodeJS.ProcessEnv): string | null {
  const base = nonEmpty(env.XDG_CONFIG_HOME) ?? (nonEmpty(env.HOME) === null ? null : path.join(env.HOME!.trim(), '.config'));
  return base === null ? null : path.join(base, 'hephaestus', USER_CONFIG_FILE_NAME);
}

async function readConfigObject(file: string, required: boolean): Promise<{ raw: Record<string, unknown>; source: string | null }> {
  let raw: unknown;
  try {
    raw = parseConfigText(await readFile(file, 'utf8'), file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ENOENT' || code === 'ENOTDIR') && !required) return { raw: {}, source: null };
    if (code === 'ENOENT') throw new ConfigError(`${file}: config file not found. Check the --config path, or run "hephaestus init" to create one.`, { cause: error });
    throw new ConfigError(`${file}: cannot read config file (${code ?? String(error)}).`, { cause: error });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${file}: invalid configuration\n  (root): expected an object, received ${Array.isArray(raw) ? 'an array' : typeof raw}`);
  }
  return { raw: raw as Record<string, unknown>, source: file };
}

function validate(raw: unknown, file: string): Config {
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const lines = formatConfigIssues(result.error.issues, configSchema);
  throw new ConfigError(`${file}: invalid configuration\n${lines.map((line) => `  ${line.replaceAll('\n', '\n  ')}`).join('\n')}`, {
    details: { file, issues: lines },
  });
}

/** `over` wins key by key inside objects; arrays and other values are replaced whole. */
export function mergeConfig(under: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = structuredClone(under);
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeConfig(current, value) : structuredClone(value);
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  for (const override of ENV_OVERRIDES) {
    const value = env[override.variable];
    if (value === undefined || value === '') continue;
    const parsed = override.schema.safeParse(value);
    if (!parsed.success) {
      const expected = 'options' in override.schema ? `one of ${override.schema.options.join(' | ')}` : override.variable.endsWith('_URL') ? 'a URL' : 'a model name';
      throw new ConfigError(`environment variable ${override.variable}: expected ${expected}, received "${value}"`);
    }
    let target = raw;
    for (const section of override.path.slice(0, -1)) {
      const current = target[section];
      target = target[section] = isPlainObject(current) ? current : {};
    }
    target[override.path.at(-1)!] = parsed.data;
  }
  return raw;
}

export function readApiKeys(config: Config, env: NodeJS.ProcessEnv): ApiKeys {
  const custom = config.llm.apiKeyEnv ? nonEmpty(env[config.llm.apiKeyEnv]) : null;
  return {
    openai: custom ?? nonEmpty(env.OPENAI_API_KEY),
    anthropic: custom ?? nonEmpty(env.ANTHROPIC_API_KEY),
  };
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}
