// What a test run actually ran, read from the runner's machine-readable report, and the rule
// that a change may not shrink it (DESIGN.md §3): every test that passed on the base for the
// same file must still run and pass, nothing may be newly skipped, and a new test file must
// add tests that ran.
import { z } from 'zod';

export const testCaseSchema = z.strictObject({
  /** Repository-relative POSIX path of the test file. */
  file: z.string(),
  /** The test's full name (enclosing suites joined by " > "). */
  name: z.string(),
  status: z.enum(['passed', 'failed', 'skipped']),
});

export type TestCase = z.infer<typeof testCaseSchema>;

/** The tests the base commit ran (what a change is compared against). */
export interface BaseInventory {
  commit: string;
  /** Test files of the base tree. */
  files: ReadonlySet<string>;
  tests: readonly TestCase[];
}

export const inventorySchema = z.array(testCaseSchema);

export type InventoryReason = 'TESTS_REMOVED' | 'TESTS_SKIPPED' | 'TESTS_NOT_RUN';

export interface InventoryVerdict {
  reason: InventoryReason;
  /** `file > test name` of every test concerned. */
  tests: string[];
  message: string;
}

/** Names are shown to the model and in records; a few are enough to act on. */
const NAMES_SHOWN = 10;

/**
 * Compares what ran for `files` against the base's inventory. `baseFiles` are the test files
 * that exist on the base; the others are new and must add at least one test that passed.
 */
export function compareInventories(base: readonly TestCase[], current: readonly TestCase[], files: readonly string[], baseFiles: ReadonlySet<string>): InventoryVerdict | null {
  const ran = new Set(files);
  const key = (test: TestCase) => `${test.file} > ${test.name}`;
  const currentByKey = new Map(current.map((test) => [key(test), test]));
  const baseByKey = new Map(base.filter((test) => ran.has(test.file)).map((test) => [key(test), test]));

  const removed: string[] = [];
  const skipped: string[] = [];
  for (const [name, test] of baseByKey) {
    if (test.status !== 'passed') continue;
    const now = currentByKey.get(name);
    if (now === undefined) removed.push(name);
    else if (now.status === 'skipped') skipped.push(name);
  }
  for (const [name, test] of currentByKey) {
    if (test.status === 'skipped' && ran.has(test.file) && baseByKey.get(name)?.status !== 'skipped' && !skipped.includes(name)) skipped.push(name);
  }
  if (removed.length > 0) return verdict('TESTS_REMOVED', removed, `${removed.length} test(s) that passed on the base no longer ran`);
  if (skipped.length > 0) return verdict('TESTS_SKIPPED', skipped, `${skipped.length} test(s) are newly skipped`);

  const passedByFile = new Map<string, number>();
  for (const test of current) if (test.status === 'passed') passedByFile.set(test.file, (passedByFile.get(test.file) ?? 0) + 1);
  const empty = files.filter((file) => !baseFiles.has(file) && !passedByFile.has(file));
  if (empty.length > 0) return verdict('TESTS_NOT_RUN', empty, `${empty.length} new test file(s) ran no passing test`);
  return null;
}

function verdict(reason: InventoryReason, tests: string[], summary: string): InventoryVerdict {
  const sorted = [...tests].sort();
  const shown = sorted.slice(0, NAMES_SHOWN).map((name) => `  - ${name}`).join('\n');
  const more = sorted.length > NAMES_SHOWN ? `\n  … and ${sorted.length - NAMES_SHOWN} more` : '';
  return { reason, tests: sorted, message: `${reason}: ${summary}:\n${shown}${more}` };
}
