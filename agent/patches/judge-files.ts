// The judge's files (DESIGN.md §3): everything that decides how validation runs. A plan that
// changes one is refused (JUDGE_EDIT_REJECTED) unless guards.allowJudgeEdits; in shared
// manifests (package.json, pyproject.toml, setup.cfg) only the keys and sections that steer
// the test, typecheck and lint commands count, so dependency changes stay allowed.
import picomatch from 'picomatch';
import { parse as parseToml } from 'smol-toml';
import { LOCKFILES } from '../init/detect-project.js';

/** Whole files, by ecosystem. README.md lists the same groups. */
export const JUDGE_FILE_GLOBS: Readonly<Record<string, readonly string[]>> = {
  hephaestus: ['**/hephaestus.config.json'],
  node: [
    '**/.npmrc', '**/.yarnrc', '**/.yarnrc.yml', '**/.pnpmfile.cjs', '**/.nvmrc', '**/.node-version', '**/.tool-versions',
    '**/vitest.config.*', '**/vitest.workspace.*', '**/vitest.setup.*', '**/vite.config.*', '**/jest.config.*', '**/jest.setup.*',
    '**/.mocharc*', '**/ava.config.*', '**/playwright.config.*', '**/tsconfig*.json', '**/jsconfig*.json',
    '**/.eslintrc*', '**/eslint.config.*', '**/.eslintignore', '**/.prettierrc*', '**/prettier.config.*', '**/.prettierignore',
    '**/babel.config.*', '**/.babelrc*', '**/.c8rc*', '**/.nycrc*', '**/biome.json', '**/biome.jsonc', '**/.swcrc',
  ],
  python: [
    '**/pytest.ini', '**/conftest.py', '**/tox.ini', '**/noxfile.py', '**/.coveragerc', '**/mypy.ini', '**/.mypy.ini',
    '**/ruff.toml', '**/.ruff.toml', '**/.flake8', '**/.pylintrc', '**/pylintrc', '**/pyrightconfig.json', '**/sitecustomize.py', '**/*.pth',
  ],
  ci: ['.github/workflows/**', '.github/actions/**', '.gitlab-ci.yml', '.circleci/**', 'azure-pipelines.yml', '.travis.yml', 'Jenkinsfile', '.buildkite/**'],
  lockfiles: [...LOCKFILES, 'bun.lock', 'Cargo.lock', 'go.sum'].map((name) => `**/${name}`),
};

/** package.json keys that steer the judge's commands (dependencies are not among them). */
export const PACKAGE_JSON_KEYS = ['scripts', 'jest', 'mocha', 'ava', 'c8', 'nyc', 'vitest', 'eslintConfig', 'eslintIgnore', 'prettier', 'babel', 'xo', 'tap', 'config', 'engines', 'packageManager', 'type', 'imports'];
/** pyproject.toml tables under [tool] that steer pytest, mypy, ruff and friends. */
export const PYPROJECT_TOOLS = ['pytest', 'mypy', 'ruff', 'coverage', 'tox', 'pyright', 'pylint', 'flake8', 'hatch'];
/** setup.cfg sections (exact names, or prefixes ending in `:` / `-`). */
export const SETUP_CFG_SECTIONS = ['tool:pytest', 'pytest', 'mypy', 'mypy-', 'flake8', 'coverage:', 'tox:', 'pylint', 'pycodestyle'];

export interface JudgeFilesOptions {
  /** Extra globs from guards.judgeFiles (a --config file inside the repository joins them). */
  extra: readonly string[];
}

export interface JudgeEdit {
  file: string;
  /** The key or section that changed, for keyed files. */
  key?: string;
}

export type JudgeFileMatcher = (file: string) => boolean;

export function createJudgeFileMatcher(options: JudgeFilesOptions): JudgeFileMatcher {
  return picomatch([...Object.values(JUDGE_FILE_GLOBS).flat(), ...options.extra], { dot: true });
}

/**
 * The judge edits among `changes` (path → new content, null when deleted), given the base
 * contents. Keyed files report every changed key; a keyed file that cannot be parsed on either
 * side counts as changed whole.
 */
export function findJudgeEdits(
  changes: ReadonlyMap<string, string | null>,
  baseContent: (file: string) => string | null,
  isJudgeFile: JudgeFileMatcher,
): JudgeEdit[] {
  const edits: JudgeEdit[] = [];
  for (const [file, content] of changes) {
    if (isJudgeFile(file)) {
      edits.push({ file });
      continue;
    }
    const compare = keyedComparison(file);
    if (!compare) continue;
    const base = baseContent(file);
    if (base === null && content === null) continue;
    if (base === null || content === null) {
      // A new package.json only matters when it sets judge keys; a deleted one drops them.
      const keys = changedKeys(compare, base ?? '', content ?? '');
      edits.push(...(keys ?? ['(whole file)']).map((key) => ({ file, key })));
      continue;
    }
    const keys = changedKeys(compare, base, content);
    if (keys === null) edits.push({ file });
    else edits.push(...keys.map((key) => ({ file, key })));
  }
  return edits;
}

type Sections = (text: string) => Map<string, string>;

function keyedComparison(file: string): Sections | null {
  const name = file.split('/').at(-1);
  if (name === 'package.json') return packageJsonSections;
  if (name === 'pyproject.toml') return pyprojectSections;
  if (name === 'setup.cfg') return setupCfgSections;
  return null;
}

/** Names of the judge sections that differ, or null when a side does not parse. */
function changedKeys(sections: Sections, before: string, after: string): string[] | null {
  let left: Map<string, string>;
  let right: Map<string, string>;
  try {
    left = before === '' ? new Map() : sections(before);
    right = after === '' ? new Map() : sections(after);
  } catch {
    return null;
  }
  const keys = new Set([...left.keys(), ...right.keys()]);
  return [...keys].filter((key) => left.get(key) !== right.get(key)).sort();
}

function packageJsonSections(text: string): Map<string, string> {
  const manifest: unknown = JSON.parse(text);
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw new Error('not an object');
  const result = new Map<string, string>();
  for (const key of PACKAGE_JSON_KEYS) {
    const value = (manifest as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === 'scripts' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [script, command] of Object.entries(value)) result.set(`scripts.${script}`, JSON.stringify(command));
    } else {
      result.set(key, stableJson(value));
    }
  }
  return result;
}

function pyprojectSections(text: string): Map<string, string> {
  const document = parseToml(text) as Record<string, unknown>;
  const tool = document.tool;
  const result = new Map<string, string>();
  if (typeof tool !== 'object' || tool === null) return result;
  for (const [name, table] of Object.entries(tool as Record<string, unknown>)) {
    if (PYPROJECT_TOOLS.some((judged) => name === judged || name.startsWith(`${judged}-`) || name.startsWith(`${judged}_`))) {
      result.set(`tool.${name}`, stableJson(table));
    }
  }
  return result;
}

/** configparser's format: `[section]` headers; comments and blank lines do not count. */
function setupCfgSections(text: string): Map<string, string> {
  const result = new Map<string, string>();
  let current: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      current = SETUP_CFG_SECTIONS.some((judged) => (judged.endsWith(':') || judged.endsWith('-') ? name.startsWith(judged) : name === judged)) ? name : null;
      if (current !== null && !result.has(current)) result.set(current, '');
      continue;
    }
    if (current === null || line.trim() === '' || /^\s*[#;]/.test(line)) continue;
    result.set(current, `${result.get(current)}${line}\n`);
  }
  return result;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([left], [right]) => left.localeCompare(right)))
      : inner,
  );
}
