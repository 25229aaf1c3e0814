// loadConfig as a library: defaults, environment overrides, keys only from the environment.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../agent/config/load-config.js';
import { ConfigError } from '../../agent/core/errors.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
afterEach(async () => repo?.remove());

describe('loadConfig', () => {
  it('runs on documented defaults when there is no config file', async () => {
    repo = await makeTempRepo();
    const loaded = await loadConfig({ repoRoot: repo.root, env: {} });
    expect(loaded.file).toBeNull();
    expect(loaded.config.git.branch).toBe('hephaestus/evolve');
    expect(loaded.config.sandbox).toEqual({
      pool: 2,
      linkPaths: ['node_modules'],
      network: 'off',
      isolation: 'auto',
      env: {},
      readOnlyPaths: [],
      limits: { processes: 4096, fileSizeMb: 1024, memoryMb: 8192, mechanism: 'auto' },
    });
    expect(loaded.config.llm.cache).toEqual({ mode: 'all', ttlMs: null });
    expect(loaded.config.strategies.default).toBe('FULL_VALIDATION');
    expect(loaded.apiKeys).toEqual({ openai: null, anthropic: null });
  });

  it('applies environment overrides over the file and reads keys from the environment only', async () => {
    repo = await makeTempRepo({ 'hephaestus.config.json': '{"llm": {"provider": "anthropic", "apiKeyEnv": "MY_LLM_KEY"}, "log": {"level": "warn"}}' });
    const loaded = await loadConfig({
      repoRoot: repo.root,
      env: { HEPHAESTUS_LLM_PROVIDER: 'openai', HEPHAESTUS_LOG_LEVEL: 'debug', HEPHAESTUS_LLM_BASE_URL: 'http://127.0.0.1:8080/v1', MY_LLM_KEY: 'key-123456' },
    });
    expect(loaded.config.llm.provider).toBe('openai');
    expect(loaded.config.llm.baseUrl).toBe('http://127.0.0.1:8080/v1');
    expect(loaded.config.log.level).toBe('debug');
    expect(loaded.apiKeys).toEqual({ openai: 'key-123456', anthropic: 'key-123456' });
  });

  it('reads JSONC: comments and trailing commas, as editors write them', async () => {
    const text = ['{', '  // which model plans', '  "llm": { "temperature": 0.5, /* cooler later */ },', '  "git": {', '    "branch": "hephaestus/try",', '  },', '}', ''].join('\n');
    repo = await makeTempRepo({ 'hephaestus.config.json': text });
    const loaded = await loadConfig({ repoRoot: repo.root, env: {} });
    expect(loaded.config.llm.temperature).toBe(0.5);
    expect(loaded.config.git.branch).toBe('hephaestus/try');
  });

  it('an explicit --config path that does not exist is an error, not defaults', async () => {
    repo = await makeTempRepo();
    const attempt = loadConfig({ repoRoot: repo.root, configPath: 'missing.json', env: {} });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(`${repo.root}/missing.json: config file not found. Check the --config path, or run "hephaestus init" to create one.`);
  });

  it('reads the user-level config under the repository config, then HEPHAESTUS_MODEL and command-line values over both', async () => {
    repo = await makeTempRepo({
      'hephaestus.config.json': '{"llm": {"models": {"light": "repo-light"}}}',
      'home/config/hephaestus/config.json': '{"llm": {"provider": "anthropic", "apiKeyEnv": "MY_CLAUDE_KEY", "models": {"main": "user-main", "light": "user-light"}, "baseUrl": "http://127.0.0.1:9/"}}',
    });
    const env = { XDG_CONFIG_HOME: `${repo.root}/home/config`, MY_CLAUDE_KEY: 'key-abc' };
    const plain = await loadConfig({ repoRoot: repo.root, env });
    expect({ userFile: plain.userFile, provider: plain.config.llm.provider, models: plain.config.llm.models, baseUrl: plain.config.llm.baseUrl, keys: plain.apiKeys }).toEqual({
      userFile: `${repo.root}/home/config/hephaestus/config.json`,
      provider: 'anthropic',
      models: { main: 'user-main', light: 'repo-light', fallback: [] },
      baseUrl: 'http://127.0.0.1:9/',
      keys: { openai: 'key-abc', anthropic: 'key-abc' },
    });
    const withEnv = await loadConfig({ repoRoot: repo.root, env: { ...env, HEPHAESTUS_MODEL: 'env-main', HEPHAESTUS_LIGHT_MODEL: 'env-light' } });
    expect(withEnv.config.llm.models).toEqual({ main: 'env-main', light: 'env-light', fallback: [] });
    const withFlags = await loadConfig({ repoRoot: repo.root, env: { ...env, HEPHAESTUS_MODEL: 'env-main' }, overrides: { llm: { models: { main: 'flag-main' }, budget: { costPerRun: 0.5 } } } });
    expect([withFlags.config.llm.models.main, withFlags.config.llm.models.light, withFlags.config.llm.budget.costPerRun]).toEqual(['flag-main', 'repo-light', 0.5]);
  });

  it('models default to null (the provider chooses); an invalid user-level file is named in the error', async () => {
    repo = await makeTempRepo({ 'home/hephaestus/config.json': '{"llm": {"apiKey": "sk-123"}}' });
    expect((await loadConfig({ repoRoot: repo.root, env: {} })).config.llm.models).toEqual({ main: null, light: null, fallback: [] });
    const attempt = loadConfig({ repoRoot: repo.root, env: { XDG_CONFIG_HOME: `${repo.root}/home` } });
    await expect(attempt).rejects.toThrow(`${repo.root}/home/hephaestus/config.json: invalid configuration`);
  });
});
