// `hephaestus objective add|list|remove|clear`: the objective queue. None of them takes the run
// lock, so the queue can be changed while a run is going; the queue file has its own lock.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { locateRepository, type RepositoryLocation } from '../../git/git-environment.js';
import { addObjective, clearObjectives, readQueue, removeObjective, servingOrder, type QueuedObjective } from '../../objectives/objective-queue.js';
import { ensureStateDir, stateDirOf } from '../../state/state-dir.js';
import type { CommandIo } from '../command-io.js';

const SHORT_ID_LENGTH = 8;

export async function runObjectiveAddCommand(text: string, options: { repo?: string; files?: string[] }, io: CommandIo): Promise<number> {
  if (text.trim().length < 3) throw new UsageError('objective text is empty or too short; describe what to change, e.g. hephaestus objective add "Add input validation to src/parse.ts"');
  const repository = await locateRepository(path.resolve(options.repo ?? process.cwd()));
  const files = await repositoryFiles(repository, options.files ?? []);
  const stateDir = await ensureStateDir(repository);
  const entry = await addObjective(stateDir, { text, source: 'user', files });
  const queue = await readQueue(stateDir);
  const position = queue.user.findIndex((queued) => queued.id === entry.id) + 1;
  io.out(`Queued ${entry.id.slice(0, SHORT_ID_LENGTH)}: "${entry.text}" (position ${position} of ${queue.user.length} user objectives).`);
  return 0;
}

export async function runObjectiveListCommand(options: { repo?: string; json?: boolean }, io: CommandIo): Promise<number> {
  const repository = await locateRepository(path.resolve(options.repo ?? process.cwd()));
  const queued = servingOrder(await readQueue(stateDirOf(repository.root)));
  if (options.json) {
    io.out(JSON.stringify(queued));
    return 0;
  }
  if (queued.length === 0) {
    io.out('The queue is empty; objectives are generated from the code metrics. Add one with: hephaestus objective add "..."');
    return 0;
  }
  io.out(`${queued.length} queued objective${queued.length === 1 ? '' : 's'}, next first:`);
  queued.forEach((entry, index) => io.out(describeEntry(entry, index + 1)));
  return 0;
}

export async function runObjectiveRemoveCommand(id: string, options: { repo?: string }, io: CommandIo): Promise<number> {
  const repository = await locateRepository(path.resolve(options.repo ?? process.cwd()));
  const result = await removeObjective(stateDirOf(repository.root), id.trim());
  if (result.removed) {
    io.out(`Removed ${result.removed.id.slice(0, SHORT_ID_LENGTH)}: "${firstLine(result.removed.text)}".`);
    return 0;
  }
  if (result.matches.length === 0) throw new UsageError(`no queued objective has the id "${id}"; "hephaestus objective list" shows the ids.`);
  throw new UsageError(`"${id}" matches ${result.matches.length} objectives (${result.matches.map((entry) => entry.id.slice(0, SHORT_ID_LENGTH)).join(', ')}); give more of the id.`);
}

export async function runObjectiveClearCommand(options: { repo?: string }, io: CommandIo): Promise<number> {
  const repository = await locateRepository(path.resolve(options.repo ?? process.cwd()));
  const count = await clearObjectives(stateDirOf(repository.root));
  io.out(count === 0 ? 'The queue was already empty.' : `Removed ${count} queued objective${count === 1 ? '' : 's'}.`);
  return 0;
}

/** `--file` paths as repository-relative paths: relative to the current directory or to the
 *  repository root, each must name an existing file inside the repository. */
async function repositoryFiles(repository: RepositoryLocation, files: readonly string[]): Promise<string[]> {
  const relative: string[] = [];
  for (const file of files) {
    const candidates = [...new Set([path.resolve(file), path.resolve(repository.root, file)])];
    let found: string | null = null;
    for (const candidate of candidates) {
      const inside = path.relative(repository.root, candidate);
      if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) continue;
      if ((await stat(candidate).catch(() => null))?.isFile()) {
        found = inside.split(path.sep).join('/');
        break;
      }
    }
    if (found === null) throw new UsageError(`--file ${file}: no such file in the repository (looked for ${candidates.join(' and ')}).`);
    relative.push(found);
  }
  return relative;
}

function describeEntry(entry: QueuedObjective, position: number): string {
  const files = entry.files.length > 0 ? ` (files: ${entry.files.join(', ')})` : '';
  return `${String(position).padStart(3)}. ${entry.id.slice(0, SHORT_ID_LENGTH)} [${entry.source}] ${firstLine(entry.text)}${files}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
