// The sentence `run` starts with: which planner proposes the changes, and why that one (no key
// found is the usual reason a run is offline, and the user should hear it before the first cycle).
import type { ApiKeys } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { resolveProviderName } from '../llm/resolve-provider.js';

export function describePlannerChoice(config: Config, apiKeys: ApiKeys, overrideReason?: string): string {
  const choice = resolveProviderName(config, apiKeys);
  const reason = overrideReason ?? choice.reason;
  if (choice.name !== 'offline') return `Planner: the ${choice.name} model (${reason}).`;
  const howToUseAModel = config.llm.provider === 'auto' && overrideReason === undefined ? '; set OPENAI_API_KEY, ANTHROPIC_API_KEY or llm.baseUrl to use a model' : '';
  return `Planner: the offline engine, because ${reason}${howToUseAModel}. It makes the fixes the TypeScript language service finds in TypeScript/JavaScript files, and does not apply to other languages.`;
}
