import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listRepository } from '../../agent/scanner/list-files.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

describe('listRepository', () => {
  let repo: TempRepo;
  afterEach(async () => repo?.remove());

  it('vouches (with the blob id) only for tracked files git finds unchanged', async () => {
    repo = await makeTempRepo({ 'src/clean.ts': 'export const a = 1;\n', 'src/edited.ts': 'export const b = 1;\n', 'src/gone.ts': '' });
    await repo.write('src/edited.ts', 'export const b = 2;\n');
    await repo.write('src/new.ts', 'export const c = 1;\n');
    await repo.git('rm', '-q', '--cached', 'src/gone.ts');
    const blob = (await repo.git('rev-parse', 'HEAD:src/clean.ts')).trim();

    const listing = await listRepository(repo.root, { exclude: ['src/excluded/**'] });
    expect(listing.paths).toEqual(['src/clean.ts', 'src/edited.ts', 'src/gone.ts', 'src/new.ts']);
    expect([...listing.blobs]).toEqual([['src/clean.ts', blob]]);
    expect([...listing.unverified].sort()).toEqual(['src/edited.ts', 'src/gone.ts', 'src/new.ts']);
  });

  it('vouches for nothing when attributes may convert files, found in the tree or in the common git directory of a linked worktree', async () => {
    repo = await makeTempRepo({ 'a.ts': 'export const a = 1;\n' });
    const worktree = path.join(repo.root, '..', `${path.basename(repo.root)}-worktree`);
    await repo.git('worktree', 'add', '-q', worktree, 'HEAD');
    try {
      expect((await listRepository(worktree)).blobs.size).toBe(1);
      await mkdir(path.join(repo.root, '.git', 'info'), { recursive: true });
      await writeFile(path.join(repo.root, '.git', 'info', 'attributes'), '*.ts text eol=crlf\n');
      const listing = await listRepository(worktree);
      expect([listing.blobs.size, [...listing.unverified]]).toEqual([0, ['a.ts']]);
    } finally {
      await repo.git('worktree', 'remove', '--force', worktree);
    }

    await rm(path.join(repo.root, '.git', 'info', 'attributes'));
    expect((await listRepository(repo.root)).blobs.size).toBe(1);
    await repo.write('docs/.gitattributes', '*.md text\n');
    expect((await listRepository(repo.root)).blobs.size).toBe(0);
  });
});
