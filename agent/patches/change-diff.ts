// A change set as a unified diff against what was there before: what the reviewer reads and
// what `run --dry-run` prints.
import { createTwoFilesPatch } from 'diff';
import type { ChangeSet } from '../../sandbox/sandbox.js';

/** `readBefore` gives a file's content before the change, or null when it did not exist. Unchanged files are left out. */
export async function changeDiff(changes: ChangeSet, readBefore: (file: string) => Promise<string | null>): Promise<string> {
  const parts: string[] = [];
  for (const [file, after] of changes) {
    const before = await readBefore(file);
    if (before === after) continue;
    const oldName = before === null ? '/dev/null' : `a/${file}`;
    const newName = after === null ? '/dev/null' : `b/${file}`;
    // createTwoFilesPatch starts with a "====" rule that is not part of a unified diff.
    parts.push(createTwoFilesPatch(oldName, newName, before ?? '', after ?? '', undefined, undefined, { context: 3 }).replace(/^=+\n/, ''));
  }
  return parts.join('\n');
}
