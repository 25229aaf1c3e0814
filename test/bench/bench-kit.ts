// Shared pieces of the benchmarks: the Benchmark contract and timing helpers.
// Every benchmark measures its figures side by side in one run and reports ratios.

export interface BenchRow {
  /** What was measured, e.g. "cache hit median". */
  metric: string;
  value: number;
  unit: 'ms' | 'x' | '%' | 'count' | 'MB';
  /** Human-readable target, e.g. "<= 2 ms"; omitted when the row is context only. */
  target?: string;
  /** Whether the target was met; omitted when there is no target. */
  met?: boolean;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchRow[]>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `fn` `warmup` times unmeasured, then `samples` times; returns each duration in ms. */
export async function sample(fn: () => Promise<unknown> | unknown, samples: number, warmup = 1): Promise<number[]> {
  for (let index = 0; index < warmup; index++) await fn();
  const durations: number[] = [];
  for (let index = 0; index < samples; index++) {
    const start = performance.now();
    await fn();
    durations.push(performance.now() - start);
  }
  return durations;
}
