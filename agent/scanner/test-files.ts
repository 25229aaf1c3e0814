// Which files are tests: the configured globs (validation.tests.files) plus common conventions.
// Used by the scanner (affected tests), the guards (existing tests may not be weakened) and
// the Maestro (plans that only add tests).
import picomatch from 'picomatch';

const CONVENTIONS = [
  '**/*.{test,spec}.{ts,tsx,js,jsx,mjs,cjs,mts,cts}',
  '**/__tests__/**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}',
  '**/test_*.py',
  '**/*_test.py',
  '**/*_test.go',
];

export type TestFileMatcher = (relativePath: string) => boolean;

/** Builds a matcher for repository-relative POSIX paths. */
export function createTestFileMatcher(globs: readonly string[]): TestFileMatcher {
  const matchers = [...globs, ...CONVENTIONS].map((glob) => picomatch(glob, { dot: true }));
  return (relativePath) => matchers.some((matches) => matches(relativePath));
}
