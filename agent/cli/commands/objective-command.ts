// `hephaestus objective add TEXT [--repo DIR]`: queues a user objective. It does not take the
// run lock, so objectives can be added while a run is going; the queue file has its own lock.
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { locateRepository } from '../../git/git-environment.js';
import { addObjective, readQueue } from '../../objectives/objective-queue.js';
import { ensureStateDir } from '../../state/state-dir.js';
import type { CommandIo } from '../command-io.js';

export async function runObjectiveAddCommand(text: string, options: { repo?: string; files?: string[] }, io: CommandIo): Promise<number> {
  if (text.trim().length < 3) throw new UsageError('objective text is empty or too short; describe what to change, e.g. hephaestus objective add "Add input validation to src/parse.ts"');
  const repository = await locateRepository(path.resolve(options.repo ?? process.cwd()));
  const stateDir = await ensureStateDir(repository);
  const entry = await addObjective(stateDir, { text, source: 'user', files: options.files ?? [] });
  const queue = await readQueue(stateDir);
  const position = queue.user.findIndex((queued) => queued.id === entry.id) + 1;
  io.out(`Queued: "${entry.text}" (position ${position} of ${queue.user.length} user objectives).`);
  return 0;
}
