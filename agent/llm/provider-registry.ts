// LLM providers as plug-ins: a small interface (provider.ts), a Map registry and a factory by
// name. A registry is an instance, made at the composition root (agent/create-agent.ts):
// `openai` and `anthropic` are built in (their SDKs load lazily, on first use) and register()
// adds or replaces one for that registry only.
import { LlmProviderUnavailableError } from './llm-errors.js';
import type { LlmProvider, ProviderContext, ProviderFactory } from './provider.js';

export interface ProviderRegistry {
  /** Registers (or replaces) a provider in this registry. */
  register(name: string, factory: ProviderFactory): void;
  names(): string[];
  /** `why` says how the name was chosen; it goes into the error when the provider is missing. */
  create(name: string, context: ProviderContext, why?: string): Promise<LlmProvider>;
}

export function createProviderRegistry(extra: Readonly<Record<string, ProviderFactory>> = {}): ProviderRegistry {
  const factories = new Map<string, ProviderFactory>([
    ['openai', async (context) => (await import('./openai-provider.js')).createOpenAiProvider(context)],
    ['anthropic', async (context) => (await import('./anthropic-provider.js')).createAnthropicProvider(context)],
    ...Object.entries(extra),
  ]);
  const names = () => [...factories.keys()].sort();
  return {
    register(name, factory) {
      factories.set(name, factory);
    },
    names,
    async create(name, context, why = `llm.provider is "${name}"`) {
      const factory = factories.get(name);
      if (factory !== undefined) return factory(context);
      throw new LlmProviderUnavailableError(name, `unknown LLM provider "${name}" (${why}); registered: ${names().join(', ')}.`);
    },
  };
}
