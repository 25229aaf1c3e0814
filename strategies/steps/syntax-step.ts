// The syntax step: every file the change writes is parsed (TypeScript parser, JSON, and the
// per-extension commands of validation.syntax.commands) before anything heavier runs.
import { tailOf } from '../commands/output-tail.js';
import { checkSyntax } from '../syntax/check-syntax.js';
import type { Step } from './step.js';
import { configuredJail } from './step-jail.js';

export const syntaxStep: Step = {
  name: 'syntax',
  async run(context) {
    const started = performance.now();
    const files = [...context.changes].flatMap(([path, content]) => (content === null ? [] : [{ path, content }]));
    if (files.length === 0) return { step: 'syntax', ok: true, reason: null, durationMs: 0, outputTail: 'no files written', skipped: true };
    const { commands, timeoutMs } = context.config.validation.syntax;
    let problems;
    try {
      problems = await checkSyntax(files, { commands, timeoutMs, jail: configuredJail(context.config, context.sandbox.boundaries.hiddenPaths), signal: context.signal });
    } catch (error) {
      // A checker that cannot run (missing command) is a configuration problem, not bad syntax.
      const reason = context.signal.aborted ? 'ABORTED' : 'COMMAND_FAILED';
      return { step: 'syntax', ok: false, reason, durationMs: performance.now() - started, outputTail: tailOf((error as Error).message) };
    }
    const durationMs = performance.now() - started;
    if (context.signal.aborted) return { step: 'syntax', ok: false, reason: 'ABORTED', durationMs, outputTail: '' };
    if (problems.length === 0) return { step: 'syntax', ok: true, reason: null, durationMs, outputTail: `${files.length} file(s) parsed` };
    const report = problems.map((problem) => `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`).join('\n');
    return { step: 'syntax', ok: false, reason: 'SYNTAX_ERROR', durationMs, outputTail: tailOf(report) };
  },
};
