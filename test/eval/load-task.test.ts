// Task files are a trust boundary: a bad one is one EvalTaskError naming the file, the JSON
// path, what was expected and what came, and pointing to the format; the CLI exits 2.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalTaskError, loadTask, loadTasks } from '../../agent/eval/load-task.js';
import { runCli } from '../support/run-cli.js';
import { makeTestCorpus, validTask, type TestCorpus } from './eval-kit.js';

let corpus: TestCorpus;
beforeAll(async () => {
  corpus = await makeTestCorpus();
  await writeFile(path.join(corpus.root, 'repos', 'sample.bundle'), '');
});
afterAll(async () => rm(corpus.root, { recursive: true, force: true }));

/** The message of the error loading `content` throws, with the corpus root shown as <corpus>. */
async function problemOf(content: unknown): Promise<string> {
  const file = await corpus.writeTask('task', content);
  const error = await loadTask(file).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(EvalTaskError);
  expect((error as EvalTaskError).code).toBe('EVAL_TASK_INVALID');
  return (error as Error).message.replaceAll(corpus.root, '<corpus>');
}

describe('loadTask', () => {
  it('reads a valid task, with defaults, and resolves the bundle against the corpus root', async () => {
    const file = await corpus.writeTask('minimal', { name: 'minimal', repo: 'repos/sample.bundle', base: 'main', objective: null, expect: { outcome: 'skipped' } });
    const task = await loadTask(file);
    expect(task).toEqual({
      name: 'minimal',
      repo: 'repos/sample.bundle',
      base: 'main',
      setup: [],
      config: null,
      objective: null,
      cycles: 1,
      replies: { objective: [], architect: [], maestro: [], review: [], commit: [] },
      checkFiles: {},
      check: [],
      expect: { outcome: 'skipped' },
      file,
      bundle: path.join(corpus.root, 'repos', 'sample.bundle'),
    });
  });

  it('keeps every reply byte for byte', async () => {
    const reply = 'Plan:\n\n```json\n{"analysis": "x",  "patches": []}\n```\n\ttrailing  \n';
    const task = await loadTask(await corpus.writeTask('verbatim', validTask({ replies: { architect: [reply] } })));
    expect(task.replies.architect).toEqual([reply]);
  });

  it('a missing field names it and what it expects', async () => {
    const { objective: _objective, ...withoutObjective } = validTask();
    expect(await problemOf(withoutObjective)).toBe(
      [
        '<corpus>/tasks/task.json: invalid eval task',
        '  objective: expected string, received nothing',
        'The task format is described under "Task format" in the README of the corpus (the directory above tasks/).',
      ].join('\n'),
    );
  });

  it('a command given as a string names the path into the setup list', async () => {
    expect(await problemOf(validTask({ setup: ['npm install' as unknown as string[]] }))).toBe(
      [
        '<corpus>/tasks/task.json: invalid eval task',
        '  setup[0]: expected array, received string "npm install"',
        'The task format is described under "Task format" in the README of the corpus (the directory above tasks/).',
      ].join('\n'),
    );
  });

  it('a misspelt key gets a suggestion, a bad outcome lists the allowed ones', async () => {
    const { checkFiles: _checkFiles, ...rest } = validTask();
    expect(await problemOf({ ...rest, chekFiles: {}, expect: { outcome: 'passed' }, replies: { architekt: [] } })).toBe(
      [
        '<corpus>/tasks/task.json: invalid eval task',
        '  replies.architekt: unknown key "architekt"; did you mean "architect"?',
        '  expect.outcome: expected one of "committed" | "rejected" | "skipped", received string "passed"',
        '  chekFiles: unknown key "chekFiles"; did you mean "checkFiles"?',
        'The task format is described under "Task format" in the README of the corpus (the directory above tasks/).',
      ].join('\n'),
    );
  });

  it('a reply that is not a string names its role and index', async () => {
    expect(await problemOf(validTask({ replies: { maestro: [{ strategy: 'FULL_VALIDATION' } as unknown as string] } }))).toBe(
      [
        '<corpus>/tasks/task.json: invalid eval task',
        '  replies.maestro[0]: expected string, received an object',
        'The task format is described under "Task format" in the README of the corpus (the directory above tasks/).',
      ].join('\n'),
    );
  });

  it('bad JSON names the line and column', async () => {
    expect(await problemOf('{\n  "name": "x",\n}\n')).toBe(
      [
        '<corpus>/tasks/task.json: invalid eval task',
        '  not valid JSON at line 3, column 1: Expected double-quoted property name',
        'The task format is described under "Task format" in the README of the corpus (the directory above tasks/).',
      ].join('\n'),
    );
  });

  it('a missing bundle names the path it looked at', async () => {
    expect(await problemOf(validTask({ repo: 'repos/absent.bundle' }))).toBe(
      [
        '<corpus>/tasks/task.json: invalid eval task',
        '  repo: no bundle at <corpus>/repos/absent.bundle; "repo" is relative to <corpus> (the directory above tasks/).',
        'The task format is described under "Task format" in the README of the corpus (the directory above tasks/).',
      ].join('\n'),
    );
  });

  it('two tasks with one name are refused', async () => {
    const first = await corpus.writeTask('first', validTask({ name: 'same' }));
    const second = await corpus.writeTask('second', validTask({ name: 'same' }));
    await expect(loadTasks([first, second])).rejects.toThrow(`${second}: invalid eval task\n  name: "same" is already the name of ${first}; task names must be unique.`);
  });
});

describe('hephaestus eval with a bad task file', () => {
  it('prints the problem and exits 2 before running anything', async () => {
    const file = await corpus.writeTask('cli', validTask({ cycles: 0 }));
    const result = await runCli(['eval', file]);
    expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr.replaceAll(corpus.root, '<corpus>') }).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: [
        'hephaestus: <corpus>/tasks/cli.json: invalid eval task',
        '  cycles: expected >= 1, received number 0',
        'The task format is described under "Task format" in the README of the corpus (the directory above tasks/).',
      ].join('\n'),
    });
  });
});
