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

  it('never lists dependencies, virtualenvs, caches or untracked build output, even when git does not ignore them', async () => {
    repo = await makeTempRepo({
      'src/app.py': 'x = 1\n',
      'build/make.js': 'module.exports = 1;\n',
      'vendor/node_modules/dep/index.js': 'module.exports = 1;\n',
    });
    const generated = [
      '.venv/lib/python3.11/site-packages/pip/__init__.py',
      'venv/lib/site.py',
      'env/pyvenv.cfg',
      'env/lib/python3.11/site-packages/six.py',
      'node_modules/dep/index.js',
      'src/__pycache__/app.cpython-311.pyc',
      '.mypy_cache/3.11/app.data.json',
      '.pytest_cache/v/cache/lastfailed',
      '.ruff_cache/0.5.0/1234',
      '.tox/py311/log.txt',
      '.nox/tests/log.txt',
      'dist/app.js',
      'build/lib/app.py',
      'coverage/lcov.info',
      'htmlcov/index.html',
      'src/app.egg-info/PKG-INFO',
    ];
    for (const file of generated) await repo.write(file, 'generated\n');
    await repo.write('src/util.py', 'y = 2\n');

    const listing = await listRepository(repo.root);
    // A tracked build/ stays; a tracked node_modules does not.
    expect(listing.paths).toEqual(['build/make.js', 'src/app.py', 'src/util.py']);
  });
});
