// What workers report back, per repository, in a Redis stream that any machine can read: when a
// run starts and ends (or fails) and every cycle record, so `fleet status` shows the last cycles.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { cycleRecordSchema } from '../cycle/cycle-record.js';
import { reportsKey } from './fleet-keys.js';

/** Older entries are trimmed (approximately) past this many per repository. */
const KEPT_REPORTS = 1_000;

const runFields = {
  jobId: z.string(),
  /** 1 for the first try of a job; a retry after a dead worker counts up. */
  attempt: z.number().int(),
  worker: z.string(),
  /** ms since the epoch, on the reporting worker's clock. */
  at: z.number(),
};

export const fleetReportSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run-started'), ...runFields, cycles: z.number().int() }),
  z.object({ type: z.literal('cycle'), ...runFields, record: cycleRecordSchema }),
  z.object({ type: z.literal('run-finished'), ...runFields, committed: z.number().int(), stopReason: z.string().nullable(), pushed: z.string().nullable() }),
  z.object({ type: z.literal('run-failed'), ...runFields, code: z.string(), message: z.string() }),
  z.object({ type: z.literal('run-released'), ...runFields, reason: z.string() }),
]);

export type FleetReport = z.infer<typeof fleetReportSchema>;
/** A report without the fields of the run it belongs to (added by the worker). */
export type ReportContent = WithoutRunFields<FleetReport>;
type WithoutRunFields<Report> = Report extends unknown ? Omit<Report, 'jobId' | 'attempt' | 'worker' | 'at'> : never;

export interface StoredReport {
  /** The stream entry id. */
  id: string;
  report: FleetReport;
}

export async function appendReport(redis: Redis, repositoryId: string, report: FleetReport): Promise<string> {
  const id = await redis.xadd(reportsKey(repositoryId), 'MAXLEN', '~', String(KEPT_REPORTS), '*', 'report', JSON.stringify(report));
  return id ?? '';
}

/** The last `count` reports, oldest first; entries that do not parse are left out. */
export async function readReports(redis: Redis, repositoryId: string, count: number): Promise<StoredReport[]> {
  const entries = await redis.xrevrange(reportsKey(repositoryId), '+', '-', 'COUNT', count);
  return entries.reverse().flatMap(([id, fields]) => {
    const report = parseReport(fields);
    return report === null ? [] : [{ id, report }];
  });
}

/** Waits for reports after `lastId` ("$" = only new ones); resolves with them, or [] after `blockMs`. */
export async function waitForReports(redis: Redis, repositoryId: string, lastId: string, blockMs: number): Promise<StoredReport[]> {
  const answer = (await redis.xread('BLOCK', blockMs, 'STREAMS', reportsKey(repositoryId), lastId)) as Array<[string, Array<[string, string[]]>]> | null;
  if (answer === null) return [];
  return answer.flatMap(([, entries]) =>
    entries.flatMap(([id, fields]) => {
      const report = parseReport(fields);
      return report === null ? [] : [{ id, report }];
    }),
  );
}

export async function deleteReports(redis: Redis, repositoryId: string): Promise<void> {
  await redis.del(reportsKey(repositoryId));
}

function parseReport(fields: string[]): FleetReport | null {
  const index = fields.indexOf('report');
  if (index < 0 || index + 1 >= fields.length) return null;
  try {
    const parsed = fleetReportSchema.safeParse(JSON.parse(fields[index + 1]!));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
