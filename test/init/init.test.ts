// `hephaestus init` on real repositories of each kind: the config it writes, idempotence,
// and the git exclude entry.
import { mkdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

/** This package, built: what `npm install hephaestus-agent` puts in node_modules. */
const PACKAGE_ROOT = path.resolve(import.meta.dirname, '../..');

let repo: TempRepo;
afterEach(async () => repo?.remove());

async function readConfig(root: string) {
  return JSON.parse(await readFile(path.join(root, 'hephaestus.config.json'), 'utf8')) as Record<string, any>;
}

describe('hephaestus init', () => {
  it('writes vitest, tsc and eslint commands for a TypeScript vitest project', async () => {
    repo = await makeTempRepo({
      'package.json': JSON.stringify({ name: 'app', devDependencies: { vitest: '^4.0.0', typescript: '^5.9.0', eslint: '^9.0.0' } }),
      'package-lock.json': '{}',
      'tsconfig.json': '{}',
    });
    const result = await runCli(['init', '--repo', repo.root, '--no-check'], { cwd: repo.root });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('Commands not checked (--no-check).\nWrote hephaestus.config.json (detected: javascript, vitest, typescript).\nAdded /.hephaestus/ to .git/info/exclude.');
    const config = await readConfig(repo.root);
    expect(config.validation).toEqual({
      syntax: { commands: {} },
      typecheck: { command: 'npx tsc --noEmit' },
      lint: { command: 'npx eslint {files}', files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'] },
      tests: {
        command: 'npx vitest run {files}',
        files: ['**/*.test.{ts,tsx,js,jsx,mjs,cjs,mts,cts}', '**/*.spec.{ts,tsx,js,jsx,mjs,cjs,mts,cts}'],
      },
    });
    expect(config.guards.protectedPaths).toEqual(['.github/**', 'hephaestus.config.json', 'package-lock.json']);
    expect(config.sandbox).toEqual({ linkPaths: ['node_modules'] });
    expect(config.strategies).toEqual({ default: 'FULL_VALIDATION' });
    // Nothing installed Hephaestus into node_modules: a "$schema" there would point nowhere.
    expect(config.$schema).toBeUndefined();
  });

  it('points "$schema" at the installed package\'s JSON Schema when it exists', async () => {
    repo = await makeTempRepo({ 'package.json': JSON.stringify({ name: 'app', devDependencies: { 'hephaestus-agent': '0.1.0' } }) });
    // The real build of this package, installed under its published name.
    await mkdir(path.join(repo.root, 'node_modules'), { recursive: true });
    await symlink(PACKAGE_ROOT, path.join(repo.root, 'node_modules', 'hephaestus-agent'), 'dir');
    expect((await runCli(['init', '--repo', repo.root], { cwd: repo.root })).exitCode).toBe(0);
    const config = await readConfig(repo.root);
    expect(config.$schema).toBe('./node_modules/hephaestus-agent/dist/hephaestus.config.schema.json');
    const schema = JSON.parse(await readFile(path.join(repo.root, config.$schema), 'utf8')) as { title: string };
    expect(schema.title).toBe('Hephaestus configuration');
    const manifest = JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; files: string[] };
    // Published under that name, with the schema in the files it ships.
    expect(manifest.name).toBe('hephaestus-agent');
    expect(manifest.files).toContain('dist/');
  });

  it('writes pytest and py_compile commands for a Python project', async () => {
    repo = await makeTempRepo({ 'requirements.txt': 'requests==2.32.0\npytest>=8\nmypy\n' });
    const result = await runCli(['init', '--repo', repo.root, '--no-check'], { cwd: repo.root });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[1]).toBe('Wrote hephaestus.config.json (detected: python, pytest).');
    const config = await readConfig(repo.root);
    // mypy without settings of its own checks only what a change writes, never the whole tree.
    expect(config.validation).toEqual({
      syntax: { commands: { '.py': 'python3 -m py_compile {file}' } },
      typecheck: { command: 'python3 -m mypy {files}', files: ['**/*.py'] },
      lint: { command: null },
      tests: { command: 'python3 -m pytest -q -p no:cacheprovider {files}', files: ['**/test_*.py', '**/*_test.py'] },
    });
    expect(config.sandbox).toEqual({ linkPaths: [] });
  });

  it('writes a syntax-only config for a generic repository', async () => {
    repo = await makeTempRepo({ 'notes.txt': 'hello\n' });
    const result = await runCli(['init', '--repo', repo.root], { cwd: repo.root });
    // Nothing to run, so nothing was checked and nothing said about it.
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('Wrote hephaestus.config.json (detected: generic, no test runner).');
    const config = await readConfig(repo.root);
    expect(config.validation.tests.command).toBeNull();
    expect(config.validation.typecheck.command).toBeNull();
    expect(config.strategies.default).toBe('SYNTAX_ONLY');
    expect(config.sandbox.linkPaths).toEqual([]);
  });

  it('detects node:test from the test script and jest/mocha from dependencies', async () => {
    repo = await makeTempRepo({ 'package.json': JSON.stringify({ scripts: { test: 'node --test' } }) });
    await runCli(['init', '--repo', repo.root, '--no-check']);
    expect((await readConfig(repo.root)).validation.tests.command).toBe('node --test {files}');

    await repo.write('package.json', JSON.stringify({ devDependencies: { jest: '^29.0.0' } }));
    await runCli(['init', '--repo', repo.root, '--force', '--no-check']);
    expect((await readConfig(repo.root)).validation.tests.command).toBe('npx jest --runTestsByPath {files}');

    await repo.write('package.json', JSON.stringify({ devDependencies: { mocha: '^10.0.0' } }));
    const result = await runCli(['init', '--repo', repo.root, '--force', '--no-check']);
    expect(result.stdout.split('\n')[1]).toBe(`Overwrote ${repo.root}/hephaestus.config.json (detected: javascript, mocha).`);
    expect((await readConfig(repo.root)).validation.tests.command).toBe('npx mocha {files}');
  });

  it('is idempotent: a second run changes nothing and never overwrites without --force', async () => {
    repo = await makeTempRepo({ 'package.json': JSON.stringify({ devDependencies: { vitest: '^4.0.0' } }) });
    await runCli(['init', '--repo', repo.root, '--no-check'], { cwd: repo.root });
    const configPath = path.join(repo.root, 'hephaestus.config.json');
    await repo.write('hephaestus.config.json', '{"git": {"branch": "hephaestus/mine"}}\n');
    const excludeBefore = await readFile(path.join(repo.root, '.git/info/exclude'), 'utf8');

    const second = await runCli(['init', '--repo', repo.root], { cwd: repo.root });
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toBe(
      'hephaestus.config.json already exists and is valid; left unchanged (use --force to overwrite). Detected: javascript, vitest.\n.hephaestus/ is already excluded from git.',
    );
    expect(await readFile(configPath, 'utf8')).toBe('{"git": {"branch": "hephaestus/mine"}}\n');
    expect(await readFile(path.join(repo.root, '.git/info/exclude'), 'utf8')).toBe(excludeBefore);
    expect(excludeBefore.split('\n').filter((line) => line === '/.hephaestus/')).toHaveLength(1);
    // .hephaestus/ exists (log, state) yet git does not see it.
    expect(await repo.git('status', '--porcelain', '--untracked-files=all')).toBe('?? hephaestus.config.json');
  });

  it('outside a git repository exits 3 with a fix', async () => {
    const { makeTempDir } = await import('../support/temp-repo.js');
    const dir = await makeTempDir();
    const result = await runCli(['init', '--repo', dir]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe(`hephaestus: ${dir}: not a git repository. Run Hephaestus inside a git repository (git init), or pass --repo DIR.`);
    const missing = await runCli(['init', '--repo', `${dir}/nowhere`]);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toBe(`hephaestus: ${dir}/nowhere: no such directory. Check the --repo path.`);
  });
});
