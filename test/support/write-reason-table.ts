// Rewrites the README's table of cycle reasons from agent/cycle/reason-codes.ts:
// `npx tsx test/support/write-reason-table.ts` (test/cycle/reason-table.test.ts checks it).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderReasonTable } from '../../agent/cycle/reason-codes.js';
import { REASON_TABLE_END, REASON_TABLE_START, replaceReasonTable } from './reason-table-block.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const text = await readFile(README, 'utf8');
await writeFile(README, replaceReasonTable(text, renderReasonTable()));
process.stdout.write(`README.md: reason table between ${REASON_TABLE_START} and ${REASON_TABLE_END} rewritten\n`);
