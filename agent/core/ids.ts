// Ids as a dependency: run ids, queue entry ids and report directories come from an IdSource,
// so tests can make them predictable.
import { randomUUID } from 'node:crypto';

/** Returns a new unique id on each call. */
export type IdSource = () => string;

export const randomIds: IdSource = () => randomUUID();
