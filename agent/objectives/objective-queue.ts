// The objective queue in `.hephaestus/objectives.json`: user-submitted objectives first, in
// order; then a LIFO stack of correction and capacitation objectives pushed by the cycle.
import { randomUUID } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../state/atomic-write.js';
import { withFileLock } from '../state/file-lock.js';

export const OBJECTIVES_FILE_NAME = 'objectives.json';

export const queuedObjectiveSchema = z.object({
  id: z.string(),
  text: z.string().min(1),
  source: z.enum(['user', 'correction', 'capacitation', 'generated']),
  files: z.array(z.string()).default([]),
  detail: z.string().nullable().default(null),
  createdAt: z.string(),
});

const queueFileSchema = z.object({
  user: z.array(queuedObjectiveSchema),
  stack: z.array(queuedObjectiveSchema),
});

export type QueuedObjective = z.infer<typeof queuedObjectiveSchema>;
export type QueueContents = z.infer<typeof queueFileSchema>;
export type NewObjective = Pick<QueuedObjective, 'text' | 'source'> & Partial<Pick<QueuedObjective, 'files' | 'detail'>>;

export function objectivesFileOf(stateDir: string): string {
  return path.join(stateDir, OBJECTIVES_FILE_NAME);
}

/** Adds an objective: user ones join the end of the queue, the others go on top of the stack. */
export async function addObjective(stateDir: string, objective: NewObjective, now: Date = new Date()): Promise<QueuedObjective> {
  const entry: QueuedObjective = {
    id: randomUUID(),
    text: objective.text.trim(),
    source: objective.source,
    files: objective.files ?? [],
    detail: objective.detail ?? null,
    createdAt: now.toISOString(),
  };
  await updateQueue(stateDir, (queue) => {
    if (entry.source === 'user') queue.user.push(entry);
    else queue.stack.push(entry);
  });
  return entry;
}

/** Removes and returns the next objective, or null when both lists are empty. */
export async function takeNextObjective(stateDir: string): Promise<QueuedObjective | null> {
  let next: QueuedObjective | null = null;
  await updateQueue(stateDir, (queue) => {
    next = queue.user.shift() ?? queue.stack.pop() ?? null;
  });
  return next;
}

/** The queue in the order it is served: user objectives first, then the stack from its top. */
export function servingOrder(queue: QueueContents): QueuedObjective[] {
  return [...queue.user, ...[...queue.stack].reverse()];
}

export type RemoveResult = { removed: QueuedObjective } | { removed: null; matches: QueuedObjective[] };

/** Removes the one objective whose id is `id` or starts with it; several or no matches remove nothing. */
export async function removeObjective(stateDir: string, id: string): Promise<RemoveResult> {
  let result: RemoveResult = { removed: null, matches: [] };
  await updateQueue(stateDir, (queue) => {
    const matches = servingOrder(queue).filter((entry) => entry.id === id || (id.length >= 4 && entry.id.startsWith(id)));
    const only = matches.length === 1 ? matches[0]! : null;
    if (!only) {
      result = { removed: null, matches };
      return;
    }
    queue.user = queue.user.filter((entry) => entry !== only);
    queue.stack = queue.stack.filter((entry) => entry !== only);
    result = { removed: only };
  });
  return result;
}

/** Empties the queue; returns how many objectives it held. */
export async function clearObjectives(stateDir: string): Promise<number> {
  let count = 0;
  await updateQueue(stateDir, (queue) => {
    count = queue.user.length + queue.stack.length;
    queue.user = [];
    queue.stack = [];
  });
  return count;
}

export async function readQueue(stateDir: string): Promise<QueueContents> {
  return (await loadQueue(objectivesFileOf(stateDir))).queue;
}

async function updateQueue(stateDir: string, change: (queue: QueueContents) => void): Promise<void> {
  const file = objectivesFileOf(stateDir);
  await withFileLock(`${file}.lock`, async () => {
    const { queue } = await loadQueue(file);
    change(queue);
    await writeFileAtomic(file, `${JSON.stringify(queue, null, 2)}\n`);
  });
}

async function loadQueue(file: string): Promise<{ queue: QueueContents }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { queue: { user: [], stack: [] } };
    throw error;
  }
  try {
    return { queue: queueFileSchema.parse(JSON.parse(text)) };
  } catch {
    // Keep what cannot be read; never silently drop the user's objectives.
    await rename(file, `${file}.corrupt-${new Date().toISOString().replaceAll(':', '-')}`);
    return { queue: { user: [], stack: [] } };
  }
}
