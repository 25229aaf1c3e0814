// With guards.allowJudgeEdits a plan may change the judge's files, but it is still judged by
// the base's: after its strategy passes on the patched tree, the judge's files go back to
// their base content and the strategy runs again; both must pass.
import { contentAtCommit } from '../git/content-at-commit.js';
import { createJudgeFileMatcher, findJudgeEdits } from '../patches/judge-files.js';
import type { Config } from '../config/schema.js';
import type { ChangeSet, Sandbox } from '../../sandbox/sandbox.js';

/** The judge files a change touches, mapped to their content at `base` (null: absent there). */
export async function baseJudgeFiles(changes: ChangeSet, base: string, sandbox: Pick<Sandbox, 'root'>, config: Config, signal: AbortSignal): Promise<Map<string, string | null>> {
  const reverted = new Map<string, string | null>();
  if (!config.guards.allowJudgeEdits) return reverted;
  const contents = new Map<string, string | null>();
  for (const file of changes.keys()) contents.set(file, await contentAtCommit(sandbox.root, base, file, signal));
  const edits = findJudgeEdits(changes, (file) => contents.get(file) ?? null, createJudgeFileMatcher({ extra: config.guards.judgeFiles }));
  for (const edit of edits) reverted.set(edit.file, contents.get(edit.file) ?? null);
  return reverted;
}
