import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**', 'test/fixtures/**', '.hephaestus/**'],
    pool: 'forks',
    // A safety net against hangs, not a speed check: on a busy shared machine a multi-cycle
    // test can take several times its idle duration, and that must not fail it.
    testTimeout: 240_000,
    hookTimeout: 240_000,
    // Child processes and git dominate; two cores.
    maxWorkers: 2,
  },
});
