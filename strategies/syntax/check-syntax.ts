// Checks the syntax of files given as text, each with the checker for its extension; files
// without a checker pass. Used by the in-memory pre-check and by the sandbox `syntax` step.
import os from 'node:os';
import pLimit from 'p-limit';
import type { SyntaxCheckContext, SyntaxChecker, SourceText, SyntaxProblem } from './syntax-checker.js';
import { createSyntaxCheckerRegistry, extensionOf, type SyntaxCheckerRegistryOptions } from './syntax-checker-registry.js';

export interface CheckSyntaxOptions extends SyntaxCheckerRegistryOptions, SyntaxCheckContext {
  /** A prepared registry; built from `commands` and `timeoutMs` when absent. */
  registry?: ReadonlyMap<string, SyntaxChecker>;
}

/** Problems of every file, in the order of `files`. Throws only when a checker cannot run. */
export async function checkSyntax(files: readonly SourceText[], options: CheckSyntaxOptions): Promise<SyntaxProblem[]> {
  const registry = options.registry ?? createSyntaxCheckerRegistry(options);
  const limit = pLimit(Math.max(1, os.availableParallelism()));
  const context: SyntaxCheckContext = options.signal ? { signal: options.signal } : {};
  const settled = await Promise.allSettled(
    files.map((file) => {
      const checker = registry.get(extensionOf(file.path));
      return checker ? limit(() => checker.check(file, context)) : Promise.resolve([]);
    }),
  );
  const failures = settled.filter((result) => result.status === 'rejected');
  if (failures.length === 1) throw failures[0]!.reason;
  if (failures.length > 1) throw new AggregateError(failures.map((failure) => failure.reason), 'several syntax checkers failed');
  return settled.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
}
