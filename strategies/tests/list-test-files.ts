// The test files of the patched tree: tracked and new files of the sandbox matching the
// configured globs (validation.tests.files), minus files the change deletes.
import { runGit } from '../../agent/git/git-environment.js';
import { createTestFileMatcher } from '../../agent/scanner/test-files.js';
import type { ChangeSet } from '../../sandbox/sandbox.js';

export async function listTestFiles(sandboxRoot: string, globs: readonly string[], changes: ChangeSet, signal: AbortSignal): Promise<string[]> {
  const isTestFile = createTestFileMatcher(globs);
  const listing = (await runGit(sandboxRoot, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { signal })).stdout;
  const files = new Set(listing.split('\0').filter((file) => file !== '' && isTestFile(file)));
  for (const [file, content] of changes) {
    if (content === null) files.delete(file);
    else if (isTestFile(file)) files.add(file);
  }
  return [...files].sort();
}
