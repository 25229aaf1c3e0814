// Which provider a configuration means: `auto` picks by the keys and base URL available.
import type { ApiKeys } from '../config/load-config.js';
import type { Config } from '../config/schema.js';

export type ProviderName = 'openai' | 'anthropic' | 'offline';

export interface ProviderChoice {
  name: ProviderName;
  /** Why this provider, in words (shown by the CLI and in the start-up log line). */
  reason: string;
}

export function resolveProviderName(config: Config, apiKeys: ApiKeys): ProviderChoice {
  const { provider, apiKeyEnv, baseUrl } = config.llm;
  if (provider !== 'auto') return { name: provider, reason: `llm.provider is "${provider}"` };
  if (apiKeyEnv !== null && apiKeys.openai !== null) {
    // A custom variable fills both key slots; its name tells which kind of key it holds.
    return /ANTHROPIC|CLAUDE/i.test(apiKeyEnv)
      ? { name: 'anthropic', reason: `llm.apiKeyEnv ${apiKeyEnv} names an Anthropic key` }
      : { name: 'openai', reason: `llm.apiKeyEnv ${apiKeyEnv} is set` };
  }
  if (apiKeys.anthropic !== null) return { name: 'anthropic', reason: 'ANTHROPIC_API_KEY is set' };
  if (apiKeys.openai !== null) return { name: 'openai', reason: 'OPENAI_API_KEY is set' };
  if (baseUrl !== null) return { name: 'openai', reason: `llm.baseUrl is ${baseUrl}` };
  return { name: 'offline', reason: 'no API key and no llm.baseUrl are configured' };
}
