// The base's test inventory: what ran on the unchanged tree, measured once per base commit and
// command (in the sandbox before a change is written) and kept in `.hephaestus/inventory/`.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { throwIfAborted } from '../../agent/core/abort.js';
import type { Config } from '../../agent/config/schema.js';
import { FILES_PLACEHOLDER, hasPlaceholder, parseCommand } from '../commands/parse-command.js';
import type { StepContext } from '../steps/step.js';
import { listTestFiles } from './list-test-files.js';
import { reportedTests, runTestShards } from './run-test-shards.js';
import { splitIntoShards } from './split-into-shards.js';
import { inventorySchema, type BaseInventory } from './test-inventory.js';
import { detectTestRunner } from './test-report.js';

const storedSchema = z.strictObject({ commit: z.string(), files: z.array(z.string()), tests: inventorySchema });

/** True when the tests step can count what ran: a recognised runner and a `{files}` command. */
export function canTakeInventory(config: Config): boolean {
  const command = config.validation.tests.command;
  if (command === null) return false;
  const argv = parseCommand(command);
  return hasPlaceholder(argv, FILES_PLACEHOLDER) && detectTestRunner(argv) !== null;
}

/**
 * The inventory of `commit`, read from the cache or measured in `context.sandbox`, which must
 * hold the unchanged base tree. Null when the runner reported nothing (the base's own problem:
 * then there is nothing to compare with).
 */
export async function baseInventory(commit: string, context: Omit<StepContext, 'changes'>): Promise<BaseInventory | null> {
  const settings = context.config.validation.tests;
  const argv = parseCommand(settings.command!);
  const key = createHash('sha256').update(JSON.stringify([argv, settings.files])).digest('hex').slice(0, 16);
  const file = path.join(context.sandbox.stateDir, 'inventory', `${commit}.${key}.json`);
  const cached = await readFile(file, 'utf8').then((text) => storedSchema.safeParse(JSON.parse(text)), () => null).catch(() => null);
  if (cached?.success && cached.data.commit === commit) return { commit, files: new Set(cached.data.files), tests: cached.data.tests };

  const started = performance.now();
  const files = await listTestFiles(context.sandbox.root, settings.files, new Map(), context.signal);
  if (files.length === 0) return { commit, files: new Set(), tests: [] };
  const phase = await runTestShards(
    {
      argv,
      shards: splitIntoShards(files, settings.workers ?? os.availableParallelism()),
      deadline: performance.now() + settings.timeoutMs,
      retryFailed: false,
      runner: detectTestRunner(argv),
      failFast: false,
    },
    { ...context, changes: new Map() },
  );
  throwIfAborted(context.signal);
  const tests = reportedTests(phase.shards);
  if (tests === null) {
    context.logger.warn({ event: 'base-inventory-missing', commit }, 'the test runner wrote no report on the base; test counts are not compared this cycle');
    return null;
  }
  context.logger.info({ event: 'base-inventory', commit, tests: tests.length, durationMs: Math.round(performance.now() - started) }, `base inventory: ${tests.length} test(s) in ${files.length} file(s)`);
  const inventory = { commit, files, tests };
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(inventory));
  await rename(temporary, file);
  return { commit, files: new Set(files), tests };
}
