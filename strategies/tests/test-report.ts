// The test inventory of one run: the runner is recognised from the configured command, told to
// write a machine-readable report (node:test through our reporter, vitest and jest JSON, mocha
// JSON, pytest JUnit XML) into a fresh directory of the sandbox, and the report is read back
// as test cases. A command whose runner is not recognised has no inventory.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { FILES_PLACEHOLDER } from '../commands/parse-command.js';
import { NODE_INVENTORY_REPORTER } from './node-inventory-reporter.js';
import type { TestCase } from './test-inventory.js';

export type TestRunner = 'node' | 'vitest' | 'jest' | 'mocha' | 'pytest';

/** Where reports are written inside the sandbox (a dot directory: tools skip it). */
export const REPORT_DIRECTORY = '.hephaestus-tests';

export interface ReportedCommand {
  /** The command with the reporter's options added, `{files}` still in place. */
  argv: string[];
  /** The test cases of the report; null when the runner wrote none (it crashed, or was bypassed). */
  read(): Promise<TestCase[] | null>;
  /** Removes the report directory. */
  dispose(): Promise<void>;
}

export function detectTestRunner(argv: readonly string[]): TestRunner | null {
  const names = argv.map((argument) => path.basename(argument).replace(/\.(c|m)?js$/, ''));
  if (names.some((name) => name === 'pytest' || name === 'py.test')) return 'pytest';
  if (names.some((name) => name === 'vitest')) return 'vitest';
  if (names.some((name) => name === 'jest')) return 'jest';
  if (names.some((name) => name === 'mocha' || name === '_mocha')) return 'mocha';
  if (names[0] === 'node' && argv.includes('--test')) return 'node';
  return null;
}

export async function withTestReport(argv: readonly string[], runner: TestRunner, sandboxRoot: string): Promise<ReportedCommand> {
  const directory = path.join(sandboxRoot, REPORT_DIRECTORY, randomUUID());
  await mkdir(directory, { recursive: true });
  const report = path.join(directory, runner === 'pytest' ? 'report.xml' : runner === 'node' ? 'report.jsonl' : 'report.json');
  let options: string[];
  switch (runner) {
    case 'node': {
      const reporter = path.join(directory, 'reporter.mjs');
      await writeFile(reporter, NODE_INVENTORY_REPORTER);
      // tap on stdout: what node 20 prints by default when its output is not a terminal.
      options = ['--test-reporter=tap', '--test-reporter-destination=stdout', `--test-reporter=${reporter}`, `--test-reporter-destination=${report}`];
      break;
    }
    case 'vitest':
      options = ['--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
      break;
    case 'jest':
      options = ['--json', `--outputFile=${report}`];
      break;
    case 'mocha':
      options = ['--reporter', 'json', '--reporter-option', `output=${report}`];
      break;
    case 'pytest':
      options = [`--junitxml=${report}`, '-o', 'junit_family=xunit1'];
      break;
  }
  return {
    argv: insertOptions(argv, options),
    async read() {
      const text = await readFile(report, 'utf8').catch(() => null);
      if (text === null) return null;
      try {
        return parseReport(runner, text, sandboxRoot);
      } catch {
        return null;
      }
    },
    dispose: () => rm(directory, { recursive: true, force: true }),
  };
}

/** Options go before `{files}` (and a `--` in front of it): node reads options only before its files. */
function insertOptions(argv: readonly string[], options: readonly string[]): string[] {
  let index = argv.indexOf(FILES_PLACEHOLDER);
  if (index === -1) return [...argv, ...options];
  if (index > 0 && argv[index - 1] === '--') index -= 1;
  return [...argv.slice(0, index), ...options, ...argv.slice(index)];
}

export function parseReport(runner: TestRunner, text: string, sandboxRoot: string): TestCase[] {
  const relative = (file: string) => {
    const inside = path.isAbsolute(file) ? path.relative(sandboxRoot, file) : path.normalize(file);
    return inside.split(path.sep).join('/');
  };
  switch (runner) {
    case 'node':
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as TestCase)
        .map((test) => ({ file: relative(test.file), name: test.name, status: test.status }));
    case 'vitest':
    case 'jest':
      return parseJestJson(text, relative);
    case 'mocha':
      return parseMochaJson(text, relative);
    case 'pytest':
      return parseJunitXml(text, relative);
  }
}

interface JestReport {
  testResults: Array<{ name: string; assertionResults: Array<{ title: string; ancestorTitles?: string[]; status: string }> }>;
}

function parseJestJson(text: string, relative: (file: string) => string): TestCase[] {
  const report = JSON.parse(text) as JestReport;
  return report.testResults.flatMap((file) =>
    file.assertionResults.map((test) => ({
      file: relative(file.name),
      name: [...(test.ancestorTitles ?? []), test.title].join(' > '),
      status: test.status === 'passed' ? 'passed' : test.status === 'failed' ? 'failed' : 'skipped',
    })),
  );
}

interface MochaTest {
  fullTitle: string;
  file?: string;
}

function parseMochaJson(text: string, relative: (file: string) => string): TestCase[] {
  const report = JSON.parse(text) as { passes: MochaTest[]; failures: MochaTest[]; pending: MochaTest[] };
  const cases = (tests: MochaTest[], status: TestCase['status']) => tests.map((test) => ({ file: relative(test.file ?? ''), name: test.fullTitle, status }));
  return [...cases(report.passes, 'passed'), ...cases(report.failures, 'failed'), ...cases(report.pending, 'skipped')];
}

interface JunitCase {
  name: string;
  classname?: string;
  file?: string;
  skipped?: unknown;
  failure?: unknown;
  error?: unknown;
}

function parseJunitXml(text: string, relative: (file: string) => string): TestCase[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' });
  const document = parser.parse(text) as { testsuites?: { testsuite?: unknown[] }; testsuite?: unknown[] };
  const cases: TestCase[] = [];
  const visit = (suite: { testcase?: JunitCase[]; testsuite?: unknown[] }) => {
    for (const test of suite.testcase ?? []) {
      const file = test.file ?? (test.classname ? `${test.classname.split('.').join('/')}.py` : '');
      const status = test.skipped !== undefined ? 'skipped' : test.failure !== undefined || test.error !== undefined ? 'failed' : 'passed';
      cases.push({ file: relative(file), name: test.classname ? `${test.classname} > ${test.name}` : test.name, status });
    }
    for (const inner of suite.testsuite ?? []) visit(inner as { testcase?: JunitCase[] });
  };
  for (const suite of document.testsuites?.testsuite ?? document.testsuite ?? []) visit(suite as { testcase?: JunitCase[] });
  return cases;
}
