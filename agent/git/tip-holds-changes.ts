// Whether a commit holds exactly its parent plus a change set: every changed file with the
// planned content (or gone, when deleted) and no other file touched. Then the commit's tree is
// the tree that was validated, and checks already passed there need not run again.
import { runGit } from './git-environment.js';

export async function tipHoldsChanges(repoRoot: string, tip: string, changes: ReadonlyMap<string, string | null>, signal?: AbortSignal): Promise<boolean> {
  const options = { allowFailure: true, ...(signal ? { signal } : {}) };
  const touched = await runGit(repoRoot, ['diff', '--name-only', '-z', '--no-renames', `${tip}^`, tip], options);
  if (touched.exitCode !== 0) return false;
  if (touched.stdout.split('\0').some((file) => file !== '' && !changes.has(file))) return false;
  const files = [...changes.keys()];
  const listing = await runGit(repoRoot, ['ls-tree', '-z', tip, '--', ...files.map((file) => `:(literal)${file}`)], options);
  if (listing.exitCode !== 0) return false;
  const blobs = new Map(
    listing.stdout
      .split('\0')
      .filter((line) => line !== '')
      .map((line) => [line.slice(line.indexOf('\t') + 1), line.split(/\s+/)[2]!] as const),
  );
  for (const [file, content] of changes) {
    if (content === null) {
      if (blobs.has(file)) return false;
      continue;
    }
    const hashed = await runGit(repoRoot, ['hash-object', '--stdin'], { ...options, input: content });
    if (hashed.exitCode !== 0 || hashed.stdout.trim() !== blobs.get(file)) return false;
  }
  return true;
}
