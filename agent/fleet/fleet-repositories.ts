// The fleet's registry of repositories: one Redis hash, id → entry. Entries are read back
// through zod (Redis is shared by every machine: a trust boundary).
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { UnknownRepositoryError } from './fleet-errors.js';
import { REPOSITORIES_KEY } from './fleet-keys.js';

export const repositoryEntrySchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['url', 'path']),
  location: z.string().min(1),
  cycles: z.number().int().min(1),
  schedule: z.string().nullable(),
  /** The config file given to `fleet add --config`, carried to every worker. */
  config: z.object({ file: z.string(), text: z.string() }).nullable(),
  addedAt: z.string(),
});

export type RepositoryEntry = z.infer<typeof repositoryEntrySchema>;

export async function saveRepository(redis: Redis, entry: RepositoryEntry): Promise<void> {
  await redis.hset(REPOSITORIES_KEY, entry.id, JSON.stringify(entry));
}

export async function listRepositories(redis: Redis): Promise<RepositoryEntry[]> {
  const stored = await redis.hgetall(REPOSITORIES_KEY);
  return Object.values(stored)
    .map((text) => parseEntry(text))
    .filter((entry): entry is RepositoryEntry => entry !== null)
    .sort((left, right) => left.id.localeCompare(right.id));
}

/** The entry, or UnknownRepositoryError listing the ids there are. */
export async function getRepository(redis: Redis, id: string): Promise<RepositoryEntry> {
  const entry = parseEntry(await redis.hget(REPOSITORIES_KEY, id));
  if (entry !== null) return entry;
  const known = (await redis.hkeys(REPOSITORIES_KEY)).sort();
  throw new UnknownRepositoryError(
    `no repository "${id}" in the fleet; ${known.length === 0 ? 'the fleet is empty (add one with "hephaestus fleet add --repo URL|PATH")' : `known ids: ${known.join(', ')}`}.`,
    { details: { id } },
  );
}

export async function deleteRepository(redis: Redis, id: string): Promise<void> {
  await redis.hdel(REPOSITORIES_KEY, id);
}

function parseEntry(text: string | null): RepositoryEntry | null {
  if (text === null) return null;
  try {
    const parsed = repositoryEntrySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
