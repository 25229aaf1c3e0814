// A file's content at a commit, read from the object store (no worktree is touched).
import { runGit } from './git-environment.js';

/** The content of `file` at `commit`, or null when the commit has no such file. */
export async function contentAtCommit(root: string, commit: string, file: string, signal?: AbortSignal): Promise<string | null> {
  const size = await runGit(root, ['cat-file', '-s', `${commit}:${file}`], { ...(signal ? { signal } : {}), allowFailure: true });
  if (size.exitCode !== 0) return null;
  const shown = await runGit(root, ['cat-file', 'blob', `${commit}:${file}`], signal ? { signal } : {});
  // runGit strips one final newline; the size says whether there was one.
  return Buffer.byteLength(shown.stdout) < Number(size.stdout.trim()) ? `${shown.stdout}\n` : shown.stdout;
}
