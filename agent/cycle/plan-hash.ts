// A normalised hash of a patch plan, so the same plan (modulo whitespace, line endings and key
// order) failing the same way is recognised and not retried.
import { createHash } from 'node:crypto';
import type { PatchPlan } from '../patches/plan-schema.js';

export function planHash(plan: PatchPlan): string {
  const patches = plan.patches.map((patch) => normaliseValue(patch));
  return createHash('sha256').update(JSON.stringify(patches)).digest('hex').slice(0, 16);
}

function normaliseValue(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\r\n/g, '\n').replace(/[ \t]+$/gm, '').trim();
  if (Array.isArray(value)) return value.map(normaliseValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, inner]) => inner !== undefined && inner !== null && inner !== false)
        .sort(([left], [right]) => left.localeCompare(right))
        .map(([key, inner]) => [key, normaliseValue(inner)]),
    );
  }
  return value;
}
