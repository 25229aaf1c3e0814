// Scan results are shared: a snapshot's files and graph are handed to every scan that finds the
// repository unchanged, so they are frozen, and a caller that tries to change one fails at once
// instead of corrupting the next scan's result.

/**
 * Freezes `value` and every object reachable from it. A frozen object is taken to have been
 * frozen here, whole, and is not walked again: nothing else in the scanner freezes.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const member of Object.values(value)) deepFreeze(member);
  return value;
}
