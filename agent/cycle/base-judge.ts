// With guards.allowJudgeEdits a plan may change the judge's files, but it is still judged by
// the base's: after its strategy passes on the patched tree, the judge's files go back to
// their base content and the strategy runs again; both must pass.
import { runGit } from '../git/git-environment.js';
import { createJudgeFileMatcher, findJudgeEdits } from '../patches/judge-files.js';
import type { Config } from '../config/schema.js';
import type { ChangeSet, Sandbox } from '../../sandbox/sandbox.js';

/** The judge files a change touches, mapped to their content at `base` (null: absent there). */
export async function baseJudgeFiles(changes: ChangeSet, base: string, sandbox: Pick<Sandbox, 'root'>, config: Config, signal: AbortSignal): Promise<Map<string, string | null>> {
  const reverted = new Map<string, string | null>();
  if (!config.guards.allowJudgeEdits) return reverted;
  const contents = new Map<string, string | null>();
  for (const file of changes.keys()) contents.set(file, await contentAt(sandbox.root, base, file, signal));
  const edits = findJudgeEdits(changes, (file) => contents.get(file) ?? null, createJudgeFileMatcher({ extra: config.guards.judgeFiles }));
  for (const edit of edits) reverted.set(edit.file, contents.get(edit.file) ?? null);
  return reverted;
}

async function contentAt(root: string, commit: string, file: string, signal: AbortSignal): Promise<string | null> {
  const size = await runGit(root, ['cat-file', '-s', `${commit}:${file}`], { signal, allowFailure: true });
  if (size.exitCode !== 0) return null;
  const shown = await runGit(root, ['cat-file', 'blob', `${commit}:${file}`], { signal });
  // runGit strips one final newline; the size says whether there was one.
  return Buffer.byteLength(shown.stdout) < Number(size.stdout.trim()) ? `${shown.stdout}\n` : shown.stdout;
}
