// `.hephaestus/evolution.jsonl`: one JSON line per cycle, the same record `run --json` prints.
// Appends are single writes with O_APPEND; a line cut short by a crash is skipped on read.
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { cycleRecordSchema, type CycleRecord } from '../cycle/cycle-record.js';

export const EVOLUTION_LOG_FILE_NAME = 'evolution.jsonl';

export function evolutionLogOf(stateDir: string): string {
  return path.join(stateDir, EVOLUTION_LOG_FILE_NAME);
}

export async function appendCycleRecord(stateDir: string, record: CycleRecord): Promise<void> {
  await appendFile(evolutionLogOf(stateDir), `${JSON.stringify(record)}\n`);
}

export interface ReadLogResult {
  records: CycleRecord[];
  /** Lines that could not be read (cut short by a crash, edited by hand). */
  skipped: number;
}

/** The last `limit` records (all when limit is undefined), oldest first. */
export async function readCycleRecords(stateDir: string, limit?: number): Promise<ReadLogResult> {
  let text: string;
  try {
    text = await readFile(evolutionLogOf(stateDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0 };
    throw error;
  }
  const records: CycleRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(cycleRecordSchema.parse(JSON.parse(line)));
    } catch {
      skipped += 1;
    }
  }
  return { records: limit === undefined ? records : records.slice(-limit), skipped };
}
