// The Redis key names of the fleet, in one place: the BullMQ queue, the registry of repositories,
// each repository's report stream and run lock, and the shared limiter and cache.
export const FLEET_PREFIX = 'hephaestus:fleet';
/** BullMQ prefixes its own keys with this (`hephaestus:fleet:bull:runs:*`). */
export const QUEUE_PREFIX = `${FLEET_PREFIX}:bull`;
export const QUEUE_NAME = 'runs';
/** A hash: repository id → its entry (JSON). */
export const REPOSITORIES_KEY = `${FLEET_PREFIX}:repositories`;
/** The keyv namespace the shared LLM cache lives under (keys `hephaestus:fleet:llm::<request key>`; keyv adds the "::"). */
export const LLM_CACHE_NAMESPACE = `${FLEET_PREFIX}:llm`;
export const RATE_LIMIT_KEY = `${FLEET_PREFIX}:rate-limit`;

/** A stream of run and cycle reports of one repository. */
export function reportsKey(repositoryId: string): string {
  return `${FLEET_PREFIX}:reports:${repositoryId}`;
}

/** Held by the one worker running the repository. */
export function repositoryLockKey(repositoryId: string): string {
  return `${FLEET_PREFIX}:lock:${repositoryId}`;
}
