// What a Python repository declares about its own tooling: the virtualenv (.venv / venv), and
// the test runner, type checker and linter it configures in pyproject.toml, setup.cfg, tox.ini
// or the tools' own files (pytest.ini, mypy.ini, ruff.toml, .flake8). `init` prefers these to
// guesses.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';

export interface PythonProject {
  /** The repository's virtualenv directory, when it has one with an interpreter. */
  virtualenv: string | null;
  /** The interpreter tools run with: the virtualenv's, else python3 from PATH. */
  interpreter: string;
  pytest: boolean;
  /** pytest's `testpaths`, when declared: where the tests are. */
  testPaths: string[];
  /** mypy settings found; `files`: the settings name what to check, so mypy needs no paths. */
  mypy: { files: boolean } | null;
  ruff: boolean;
  flake8: boolean;
  /** Where the project's packages live (`src` for a src layout), relative to the root. */
  sourceRoots: string[];
}

const VIRTUALENVS = ['.venv', 'venv'];

/** null when the repository shows no sign of being a Python project. */
export async function readPythonProject(root: string): Promise<PythonProject | null> {
  const read = (name: string) => readFile(path.join(root, name), 'utf8').catch(() => null);
  const names = ['pyproject.toml', 'setup.cfg', 'tox.ini', 'pytest.ini', 'mypy.ini', '.mypy.ini', 'ruff.toml', '.ruff.toml', '.flake8', 'setup.py'];
  const texts = new Map(await Promise.all(names.map(async (name) => [name, await read(name)] as const)));
  const text = (name: string) => texts.get(name) ?? null;
  const [pyprojectText, setupCfg, toxIni, pytestIni, mypyIni, dotMypyIni] = [text('pyproject.toml'), text('setup.cfg'), text('tox.ini'), text('pytest.ini'), text('mypy.ini'), text('.mypy.ini')];
  const [ruffToml, dotRuffToml, flake8, setupPy] = [text('ruff.toml'), text('.ruff.toml'), text('.flake8'), text('setup.py')];
  const requirements = (await Promise.all(['requirements.txt', 'requirements-dev.txt', 'requirements-test.txt', 'dev-requirements.txt'].map(read))).filter(
    (text): text is string => text !== null,
  );
  if (pyprojectText === null && setupCfg === null && setupPy === null && requirements.length === 0) return null;

  const pyproject = parsePyproject(pyprojectText);
  const tool = (pyproject?.tool ?? {}) as Record<string, unknown>;
  // Dependencies anywhere (project, optional groups, dependency groups, requirements files, tox).
  const declaredText = [JSON.stringify(pyproject?.project ?? {}), JSON.stringify(pyproject?.['dependency-groups'] ?? {}), JSON.stringify(tool), setupCfg, toxIni, ...requirements]
    .filter(Boolean)
    .join('\n');
  const mentions = (name: string) => new RegExp(`(^|[^\\w-])${name}([^\\w-]|$)`, 'm').test(declaredText);

  const ini = (text: string | null, section: string) => text !== null && new RegExp(`^\\[${section.replace(/[.[\]]/g, '\\$&')}\\]`, 'm').test(text);
  const mypySection = tool.mypy as Record<string, unknown> | undefined;
  const mypyConfigured = mypySection !== undefined || mypyIni !== null || dotMypyIni !== null || ini(setupCfg, 'mypy');
  const mypyFiles =
    (Array.isArray(mypySection?.files) && mypySection.files.length > 0) ||
    typeof mypySection?.files === 'string' ||
    [mypyIni, dotMypyIni, setupCfg].some((text) => text !== null && /^\s*files\s*=/m.test(sectionOf(text, 'mypy')));

  const pytestSection = (tool.pytest as { ini_options?: { testpaths?: unknown } } | undefined)?.ini_options;
  const iniTestPaths = [pytestIni, setupCfg, toxIni]
    .map((text) => (text === null ? '' : /^\s*testpaths\s*=\s*(.+)$/m.exec(sectionOf(text, 'pytest') || sectionOf(text, 'tool:pytest'))?.[1] ?? ''))
    .find((value) => value !== '');
  const testPaths = Array.isArray(pytestSection?.testpaths)
    ? pytestSection.testpaths.filter((entry): entry is string => typeof entry === 'string')
    : typeof pytestSection?.testpaths === 'string'
      ? pytestSection.testpaths.split(/\s+/)
      : (iniTestPaths?.split(/\s+/) ?? []);

  const virtualenv = await firstExisting(root, VIRTUALENVS.map((name) => path.join(name, 'bin', 'python')));
  return {
    virtualenv: virtualenv === null ? null : virtualenv.split('/')[0]!,
    interpreter: virtualenv ?? 'python3',
    pytest: tool.pytest !== undefined || pytestIni !== null || ini(setupCfg, 'tool:pytest') || ini(toxIni, 'pytest') || mentions('pytest') || (await exists(path.join(root, 'conftest.py'))),
    testPaths: testPaths.map((entry) => entry.replace(/^\.\//, '').replace(/\/$/, '')).filter((entry) => entry !== '' && entry !== '.'),
    mypy: mypyConfigured || mentions('mypy') ? { files: mypyConfigured && mypyFiles } : null,
    ruff: tool.ruff !== undefined || ruffToml !== null || dotRuffToml !== null,
    flake8: flake8 !== null || ini(setupCfg, 'flake8') || ini(toxIni, 'flake8'),
    sourceRoots: (await exists(path.join(root, 'src'))) ? ['src'] : [],
  };
}

function parsePyproject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The body of an INI `[name]` section (up to the next section). */
function sectionOf(text: string, name: string): string {
  const start = text.search(new RegExp(`^\\[${name}\\]`, 'm'));
  if (start < 0) return '';
  const rest = text.slice(start + name.length + 2);
  const next = rest.search(/^\[/m);
  return next < 0 ? rest : rest.slice(0, next);
}

async function firstExisting(root: string, candidates: string[]): Promise<string | null> {
  for (const candidate of candidates) if (await exists(path.join(root, candidate))) return candidate;
  return null;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
