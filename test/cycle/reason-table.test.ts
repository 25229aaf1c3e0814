// The README's table of cycle reasons is the one list in agent/cycle/reason-codes.ts, rendered:
// a code added, removed or reworded there without the README following fails here.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { REASON_CODES, REASON_MEANINGS, renderReasonTable } from '../../agent/cycle/reason-codes.js';
import { reasonTableOf } from '../support/reason-table-block.js';

describe('the README reason table', () => {
  it('is rendered from reason-codes.ts (regenerate: npx tsx test/support/write-reason-table.ts)', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(reasonTableOf(readme)).toBe(renderReasonTable());
  });

  it('has one row per code, in list order, each with its outcome', () => {
    const rows = renderReasonTable().split('\n').slice(2);
    expect(rows.map((row) => /^\| `(\w+)` \|/.exec(row)?.[1])).toEqual([...REASON_CODES]);
    expect(rows[REASON_CODES.indexOf('TESTS_FAILED')]).toBe(`| \`TESTS_FAILED\` | rejected | ${REASON_MEANINGS.TESTS_FAILED.meaning} |`);
  });
});
