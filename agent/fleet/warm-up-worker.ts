// Done once when a worker starts, before it takes jobs: what every run would otherwise pay on its
// first use (the providers' SDKs, the SQLite cache driver, the secret scanner's rules, the jail
// probe, the TypeScript parser's first parse), so a worker's first job runs as fast as its next ones
// instead of all workers of a fleet paying it at once on their first jobs.
import { analyzeFile } from '../scanner/analyze-file.js';
import { findSecretPatterns } from '../logging/find-secret-patterns.js';
import { probeJail } from '../../strategies/commands/resolve-isolation.js';

const SAMPLE_SOURCE = `// A sample.\nimport path from 'node:path';\n\n/** Joins. */\nexport function join(left: string, right: string): string {\n  return path.join(left, right);\n}\n`;

/** Never fails: what cannot load here fails, or is worked around, in the run that needs it. */
export async function warmUpWorker(): Promise<void> {
  await Promise.allSettled([
    import('../llm/openai-provider.js'),
    import('../llm/anthropic-provider.js'),
    import('@keyv/sqlite'),
    findSecretPatterns('token = "not-a-secret"'),
    // Memoised per process: every run's isolation check reads it.
    probeJail(),
  ]);
  try {
    analyzeFile('sample.ts', 'typescript', SAMPLE_SOURCE);
  } catch {
    // the scanner reports its own problems during a run
  }
}
