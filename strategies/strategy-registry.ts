// The strategy registry: the built-in strategies of DESIGN.md §4, overridden or extended by
// strategies.definitions in config.
import { strategiesOf, type Config, type StrategyDefinition } from '../agent/config/schema.js';
import { UnknownStrategyError } from './strategy-errors.js';

export type StrategyRegistry = ReadonlyMap<string, StrategyDefinition>;

export function createStrategyRegistry(config: Config): StrategyRegistry {
  return new Map(Object.entries(strategiesOf(config)));
}

/** The definition of `name`; throws UnknownStrategyError naming the known strategies. */
export function resolveStrategy(registry: StrategyRegistry, name: string): StrategyDefinition {
  const definition = registry.get(name);
  if (definition) return definition;
  throw new UnknownStrategyError(`unknown strategy "${name}"; known: ${[...registry.keys()].join(', ')}.`, { details: { strategy: name } });
}
