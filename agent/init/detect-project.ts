// Detects what kind of project a repository holds and what it declares about its own tooling
// (package.json scripts, tool config files, the Python project files and virtualenv), so
// `hephaestus init` can propose test, typecheck, lint and syntax commands that match it.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readPythonProject, type PythonProject } from './read-python-project.js';

export type TestFramework = 'vitest' | 'jest' | 'mocha' | 'node-test' | 'npm-script' | 'pytest' | 'none';

export interface ProjectDetection {
  language: 'javascript' | 'python' | 'generic';
  testFramework: TestFramework;
  typescript: boolean;
  linter: 'eslint' | 'biome' | null;
  /** Runs node:test files through tsx when the project has it. */
  tsx: boolean;
  mypy: boolean;
  lockfiles: string[];
  /** package.json scripts (empty for other projects). */
  scripts: Record<string, string>;
  /** Where mocha looks for tests (.mocharc / package.json "mocha"), when declared. */
  mochaSpec: string[] | null;
  /** What a Python project declares; null for other projects. */
  python: PythonProject | null;
}

const NPM_DEFAULT_TEST = 'echo "Error: no test specified" && exit 1';
export const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'poetry.lock', 'uv.lock', 'Pipfile.lock'];

export async function detectProject(root: string): Promise<ProjectDetection> {
  const lockfiles = (await Promise.all(LOCKFILES.map(async (name) => ((await exists(path.join(root, name))) ? name : null)))).filter(
    (name): name is string => name !== null,
  );
  const packageJson = await readJson(path.join(root, 'package.json'));
  if (packageJson) {
    const dependencies = {
      ...(packageJson.dependencies as Record<string, string> | undefined),
      ...(packageJson.devDependencies as Record<string, string> | undefined),
    };
    const has = (name: string) => name in dependencies;
    const scripts = Object.fromEntries(
      Object.entries((packageJson.scripts as Record<string, unknown> | undefined) ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const testScript = scripts.test ?? '';
    const testFramework: TestFramework = has('vitest')
      ? 'vitest'
      : has('jest')
        ? 'jest'
        : has('mocha')
          ? 'mocha'
          : /node\s+(--[\w-]+(=\S+)?\s+)*--test\b/.test(testScript)
            ? 'node-test'
            : testScript && testScript !== NPM_DEFAULT_TEST
              ? 'npm-script'
              : 'none';
    return {
      language: 'javascript',
      testFramework,
      typescript: has('typescript') || (await exists(path.join(root, 'tsconfig.json'))),
      linter: has('eslint') ? 'eslint' : has('@biomejs/biome') ? 'biome' : null,
      tsx: has('tsx'),
      mypy: false,
      lockfiles,
      scripts,
      mochaSpec: testFramework === 'mocha' ? await readMochaSpec(root, packageJson) : null,
      python: null,
    };
  }

  const python = await readPythonProject(root);
  if (python) {
    return {
      language: 'python',
      testFramework: python.pytest ? 'pytest' : 'none',
      typescript: false,
      linter: null,
      tsx: false,
      mypy: python.mypy !== null,
      lockfiles,
      scripts: {},
      mochaSpec: null,
      python,
    };
  }
  return { language: 'generic', testFramework: 'none', typescript: false, linter: null, tsx: false, mypy: false, lockfiles, scripts: {}, mochaSpec: null, python: null };
}

/** mocha's `spec` from .mocharc.{json,yml,yaml} or package.json "mocha". */
async function readMochaSpec(root: string, packageJson: Record<string, unknown>): Promise<string[] | null> {
  const settings: unknown[] = [packageJson.mocha];
  for (const name of ['.mocharc.json', '.mocharc.jsonc', '.mocharc.yml', '.mocharc.yaml']) {
    const text = await readFile(path.join(root, name), 'utf8').catch(() => null);
    if (text === null) continue;
    try {
      settings.push(name.endsWith('.json') ? JSON.parse(text) : parseYaml(text));
    } catch {
      // An unreadable rc file: mocha will say so when init runs it.
    }
  }
  for (const setting of settings) {
    const spec = (setting as { spec?: unknown } | undefined)?.spec;
    if (typeof spec === 'string') return [spec.replace(/^\.\//, '')];
    if (Array.isArray(spec) && spec.every((entry) => typeof entry === 'string')) return spec.map((entry: string) => entry.replace(/^\.\//, ''));
  }
  return null;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function readJson(file: string): Promise<Record<string, unknown> | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
