// Where the README keeps its generated table of cycle reasons: between two marker comments.
export const REASON_TABLE_START = '<!-- reason-table:start (generated from agent/cycle/reason-codes.ts by test/support/write-reason-table.ts) -->';
export const REASON_TABLE_END = '<!-- reason-table:end -->';

/** The table between the markers, or null when the markers are missing. */
export function reasonTableOf(readme: string): string | null {
  const start = readme.indexOf(REASON_TABLE_START);
  const end = readme.indexOf(REASON_TABLE_END);
  if (start < 0 || end < start) return null;
  return readme.slice(start + REASON_TABLE_START.length, end).trim();
}

export function replaceReasonTable(readme: string, table: string): string {
  const start = readme.indexOf(REASON_TABLE_START);
  const end = readme.indexOf(REASON_TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${REASON_TABLE_START} … ${REASON_TABLE_END} block`);
  return `${readme.slice(0, start + REASON_TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
