// What `{files}` stands for in a typecheck, lint or command:<name> step: the files the change
// writes (deleted ones have nothing left to check), or every tracked file when the step runs
// on an untouched tree (the baseline), narrowed to the step's own `files` globs.
import picomatch from 'picomatch';
import { runGit } from '../../agent/git/git-environment.js';
import type { StepContext } from './step.js';

export async function filesForStep(globs: readonly string[] | null, context: Pick<StepContext, 'sandbox' | 'changes' | 'wholeTree' | 'signal'>): Promise<string[]> {
  const matchers = globs === null ? null : globs.map((glob) => picomatch(glob, { dot: true }));
  const wanted = (file: string) => matchers === null || matchers.some((matches) => matches(file));
  const candidates = context.wholeTree
    ? (await runGit(context.sandbox.root, ['ls-files', '-z', '--cached'], { signal: context.signal })).stdout.split('\0').filter((file) => file !== '')
    : [...context.changes].flatMap(([file, content]) => (content === null ? [] : [file]));
  return candidates.filter(wanted).sort();
}
