// Detects what kind of project a repository holds, so `hephaestus init` can write test,
// typecheck, lint and syntax commands that match it.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';

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
    const testScript = String((packageJson.scripts as Record<string, string> | undefined)?.test ?? '');
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
    };
  }

  const pyproject = await readFile(path.join(root, 'pyproject.toml'), 'utf8').catch(() => null);
  const requirements = await readFile(path.join(root, 'requirements.txt'), 'utf8').catch(() => null);
  const requirementsDev = await readFile(path.join(root, 'requirements-dev.txt'), 'utf8').catch(() => null);
  if (pyproject !== null || requirements !== null) {
    const text = [pyproject, requirements, requirementsDev].filter(Boolean).join('\n');
    return {
      language: 'python',
      testFramework: /\bpytest\b/.test(text) ? 'pytest' : 'none',
      typescript: false,
      linter: null,
      tsx: false,
      mypy: /\bmypy\b/.test(text),
      lockfiles,
    };
  }
  return { language: 'generic', testFramework: 'none', typescript: false, linter: null, tsx: false, mypy: false, lockfiles };
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
