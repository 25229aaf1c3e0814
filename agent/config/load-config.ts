// Loads hephaestus.config.json (or --config FILE; JSONC: comments and trailing commas are
// allowed), applies environment overrides and validates with zod. Every problem becomes one ConfigError naming file, path and fix.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { formatConfigIssues } from './format-config-issues.js';
import { parseConfigText } from './parse-config-text.js';
import { LOG_LEVELS, PROVIDERS, configSchema, type Config } from './schema.js';

export const CONFIG_FILE_NAME = 'hephaestus.config.json';

export interface LoadConfigOptions {
  repoRoot: string;
  /** Explicit --config FILE; must exist. */
  configPath?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export interface ApiKeys {
  openai: string | null;
  anthropic: string | null;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read, or null when running on defaults. */
  file: string | null;
  /** Secrets come only from the environment, never from the file; keep them out of logs. */
  apiKeys: ApiKeys;
}

const ENV_OVERRIDES = [
  { variable: 'HEPHAESTUS_LLM_PROVIDER', path: ['llm', 'provider'], schema: z.enum(PROVIDERS) },
  { variable: 'HEPHAESTUS_LLM_BASE_URL', path: ['llm', 'baseUrl'], schema: z.url() },
  { variable: 'HEPHAESTUS_LOG_LEVEL', path: ['log', 'level'], schema: z.enum(LOG_LEVELS) },
] as const;

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const explicit = options.configPath !== undefined;
  const file = path.resolve(options.repoRoot, options.configPath ?? CONFIG_FILE_NAME);

  let raw: unknown = {};
  let source: string | null = null;
  try {
    const text = await readFile(file, 'utf8');
    raw = parseConfigText(text, file);
    source = file;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) raw = {};
    else if (code === 'ENOENT') throw new ConfigError(`${file}: config file not found. Check the --config path, or run "hephaestus init" to create one.`, { cause: error });
    else throw new ConfigError(`${file}: cannot read config file (${code ?? String(error)}).`, { cause: error });
  }

  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${file}: invalid configuration\n  (root): expected an object, received ${Array.isArray(raw) ? 'an array' : typeof raw}`);
  }

  const withEnv = applyEnvOverrides(structuredClone(raw) as Record<string, unknown>, env);
  const result = configSchema.safeParse(withEnv, { reportInput: true });
  if (!result.success) {
    const lines = formatConfigIssues(result.error.issues, configSchema);
    throw new ConfigError(`${source ?? file}: invalid configuration\n${lines.map((line) => `  ${line.replaceAll('\n', '\n  ')}`).join('\n')}`, {
      details: { file: source ?? file, issues: lines },
    });
  }
  return { config: result.data, file: source, apiKeys: readApiKeys(result.data, env) };
}

function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  for (const override of ENV_OVERRIDES) {
    const value = env[override.variable];
    if (value === undefined || value === '') continue;
    const parsed = override.schema.safeParse(value);
    if (!parsed.success) {
      const expected = 'options' in override.schema ? `one of ${override.schema.options.join(' | ')}` : 'a URL';
      throw new ConfigError(`environment variable ${override.variable}: expected ${expected}, received "${value}"`);
    }
    const [section, key] = override.path;
    const current = raw[section];
    const target = typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
    target[key] = parsed.data;
    raw[section] = target;
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
