// Real git repositories in temp directories for tests. Git runs hermetically, like the agent.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '../../agent/git/git-environment.js';

export interface TempRepo {
  root: string;
  write(relativePath: string, content: string): Promise<void>;
  git(...args: string[]): Promise<string>;
  commitAll(message: string): Promise<string>;
  remove(): Promise<void>;
}

export async function makeTempDir(prefix = 'hephaestus-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Creates a git repository with `files` committed on branch `main` (unless `commit` is false). */
export async function makeTempRepo(files: Record<string, string> = {}, options: { commit?: boolean } = {}): Promise<TempRepo> {
  const root = await makeTempDir('hephaestus-repo-');
  const repo: TempRepo = {
    root,
    async write(relativePath, content) {
      const file = path.join(root, relativePath);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    },
    async git(...args) {
      return (await runGit(root, args)).stdout;
    },
    async commitAll(message) {
      await repo.git('add', '-A');
      await repo.git('commit', '-q', '--allow-empty', '-m', message);
      return repo.git('rev-parse', 'HEAD');
    },
    async remove() {
      await rm(root, { recursive: true, force: true });
    },
  };
  await repo.git('init', '-q', '-b', 'main');
  for (const [file, content] of Object.entries(files)) await repo.write(file, content);
  if (options.commit !== false) await repo.commitAll('initial');
  return repo;
}
