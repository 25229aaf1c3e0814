// The commands `init` may write, per step and in order of preference: what the repository
// declares (a package.json script, a tool's settings, the virtualenv's interpreter) first,
// then what its dependencies suggest. `init` runs them on the untouched base and keeps the
// first that passes (verify-commands.ts).
import type { ProjectDetection } from './detect-project.js';

export const CHECKED_STEPS = ['typecheck', 'lint', 'tests'] as const;
export type CheckedStep = (typeof CHECKED_STEPS)[number];

export interface CommandProposal {
  step: CheckedStep;
  command: string;
  /** typecheck/lint: globs narrowing {files} (null: every written file); tests: the test files. */
  files: string[] | null;
  /** Why this command, in words ("package.json script \"lint\""). */
  source: string;
  /** A file that must exist for the command to be worth running (a local binary), if any. */
  requires: string | null;
}

export interface Proposals {
  steps: Record<CheckedStep, CommandProposal[]>;
  syntax: Record<string, string>;
  linkPaths: string[];
}

const JS_EXTENSIONS = '{js,jsx,mjs,cjs,ts,tsx,mts,cts}';
const JS_TEST_FILES = ['**/*.test.{ts,tsx,js,jsx,mjs,cjs,mts,cts}', '**/*.spec.{ts,tsx,js,jsx,mjs,cjs,mts,cts}'];
const PYTHON_TEST_FILES = ['**/test_*.py', '**/*_test.py'];
const TYPECHECK_SCRIPTS = ['typecheck', 'type-check', 'types', 'tsc', 'check-types'];

export function proposeCommands(detection: ProjectDetection): Proposals {
  if (detection.language === 'javascript') return proposeForNode(detection);
  if (detection.language === 'python' && detection.python) return proposeForPython(detection);
  return { steps: { typecheck: [], lint: [], tests: [] }, syntax: {}, linkPaths: [] };
}

function proposeForNode(detection: ProjectDetection): Proposals {
  const { scripts } = detection;
  const bin = (name: string) => `node_modules/.bin/${name}`;
  const script = (step: CheckedStep, name: string, files: string[] | null): CommandProposal => ({
    step,
    command: `npm run ${name}`,
    files,
    source: `package.json script "${name}"`,
    requires: null,
  });

  const typecheck: CommandProposal[] = TYPECHECK_SCRIPTS.filter((name) => name in scripts).map((name) => script('typecheck', name, null));
  if (detection.typescript) {
    typecheck.push({ step: 'typecheck', command: 'npx tsc --noEmit', files: null, source: 'typescript and tsconfig.json', requires: bin('tsc') });
  }

  const lint: CommandProposal[] = 'lint' in scripts ? [script('lint', 'lint', null)] : [];
  if (detection.linter === 'eslint') {
    lint.push({ step: 'lint', command: 'npx eslint {files}', files: [`**/*.${JS_EXTENSIONS}`], source: 'eslint in devDependencies', requires: bin('eslint') });
  } else if (detection.linter === 'biome') {
    lint.push({ step: 'lint', command: 'npx biome check {files}', files: [`**/*.${JS_EXTENSIONS}`, '**/*.json'], source: '@biomejs/biome in devDependencies', requires: bin('biome') });
  }

  const tests: CommandProposal[] = [];
  const runner = (command: string, files: string[], name: string, binary: string) =>
    tests.push({ step: 'tests', command, files, source: `${name} in devDependencies`, requires: bin(binary) });
  switch (detection.testFramework) {
    case 'vitest':
      runner('npx vitest run {files}', JS_TEST_FILES, 'vitest', 'vitest');
      break;
    case 'jest':
      runner('npx jest --runTestsByPath {files}', [...JS_TEST_FILES, '**/__tests__/**/*.{ts,tsx,js,jsx}'], 'jest', 'jest');
      break;
    case 'mocha':
      runner('npx mocha {files}', mochaTestFiles(detection.mochaSpec), 'mocha', 'mocha');
      break;
    case 'node-test':
      tests.push({
        step: 'tests',
        command: detection.tsx ? 'node --import tsx --test {files}' : 'node --test {files}',
        files: ['**/*.test.{js,mjs,cjs,ts,mts}', 'test/**/*.{js,mjs,cjs}'],
        source: 'package.json script "test" (node --test)',
        requires: null,
      });
      break;
    default:
      break;
  }
  // The declared script runs the whole suite once (no {files}): slower, but it is what the project runs.
  if (detection.testFramework !== 'none' && 'test' in scripts) tests.push({ ...script('tests', 'test', JS_TEST_FILES), command: 'npm test' });
  return { steps: { typecheck, lint, tests }, syntax: {}, linkPaths: ['node_modules'] };
}

function proposeForPython(detection: ProjectDetection): Proposals {
  const python = detection.python!;
  const interpreter = python.interpreter;
  const where = python.virtualenv ? `the ${python.virtualenv} virtualenv` : 'python3 on PATH';
  const typecheck: CommandProposal[] = [];
  if (python.mypy) {
    // With its own `files` setting mypy knows what to check; otherwise only what the change writes.
    typecheck.push({
      step: 'typecheck',
      command: python.mypy.files ? `${interpreter} -m mypy` : `${interpreter} -m mypy {files}`,
      files: python.mypy.files ? null : ['**/*.py'],
      source: `mypy ${python.mypy.files ? 'settings' : 'dependency'}, run with ${where}`,
      requires: null,
    });
  }
  const lint: CommandProposal[] = [];
  if (python.ruff) {
    // --no-fix: a project's `fix = true` must not let the linter rewrite the change under validation.
    const ruff = python.virtualenv ? `${python.virtualenv}/bin/ruff` : 'ruff';
    lint.push({ step: 'lint', command: `${ruff} check --no-fix {files}`, files: ['**/*.py'], source: `ruff settings, run with ${where}`, requires: python.virtualenv ? ruff : null });
  }
  if (python.flake8) {
    lint.push({ step: 'lint', command: `${interpreter} -m flake8 {files}`, files: ['**/*.py'], source: `flake8 settings, run with ${where}`, requires: null });
  }
  // Test files where pytest's testpaths say, else anywhere (a virtualenv is never searched: it is a linked path).
  const testFiles = python.testPaths.length > 0 ? python.testPaths.flatMap((directory) => [`${directory}/**/test_*.py`, `${directory}/**/*_test.py`]) : PYTHON_TEST_FILES;
  const tests: CommandProposal[] = python.pytest
    ? [{ step: 'tests', command: `${interpreter} -m pytest -q -p no:cacheprovider {files}`, files: testFiles, source: `pytest, run with ${where}`, requires: null }]
    : [];
  return {
    steps: { typecheck, lint, tests },
    syntax: { '.py': `${python.virtualenv ? 'python3' : interpreter} -m py_compile {file}` },
    linkPaths: python.virtualenv ? [python.virtualenv] : [],
  };
}

/** Test file globs from mocha's spec; mocha's own default is ./test/*.{js,cjs,mjs}. */
function mochaTestFiles(spec: string[] | null): string[] {
  if (spec === null || spec.length === 0) return ['test/*.{js,cjs,mjs}'];
  return spec.map((entry) => (/[*?{[]/.test(entry) || /\.[cm]?[jt]s$/.test(entry) ? entry : `${entry.replace(/\/$/, '')}/*.{js,cjs,mjs}`));
}
