// Shared set-up of the eval tests: a corpus directory made in the test (task files and git
// bundles of small generated repositories) and a valid task to vary.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from '../../agent/git/git-environment.js';
import type { TaskInput } from '../../agent/eval/task-schema.js';
import { makeTempDir, makeTempRepo } from '../support/temp-repo.js';

export interface TestCorpus {
  root: string;
  /** Writes tasks/<name>.json (any JSON value, or raw text) and returns its path. */
  writeTask(name: string, content: unknown): Promise<string>;
  /** Bundles a new repository holding `files` as repos/<name>.bundle; returns the base commit. */
  addRepository(name: string, files: Record<string, string>): Promise<string>;
}

export async function makeTestCorpus(): Promise<TestCorpus> {
  const root = await makeTempDir('hephaestus-corpus-');
  await mkdir(path.join(root, 'tasks'));
  await mkdir(path.join(root, 'repos'));
  return {
    root,
    async writeTask(name, content) {
      const file = path.join(root, 'tasks', `${name}.json`);
      await writeFile(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
      return file;
    },
    async addRepository(name, files) {
      const repo = await makeTempRepo(files);
      try {
        await runGit(repo.root, ['bundle', 'create', '--quiet', path.join(root, 'repos', `${name}.bundle`), '--all']);
        return (await repo.git('rev-parse', 'HEAD')).trim();
      } finally {
        await repo.remove();
      }
    },
  };
}

export function validTask(overrides: Partial<TaskInput> = {}): TaskInput {
  return {
    name: 'sample-task',
    repo: 'repos/sample.bundle',
    base: 'main',
    setup: [],
    config: null,
    objective: 'Add a subtract function to src/math.js',
    cycles: 1,
    replies: { architect: ['{"analysis": "a", "patches": []}'], maestro: [], objective: [], review: [], commit: [] },
    checkFiles: {},
    check: [],
    expect: { outcome: 'committed' },
    ...overrides,
  };
}
