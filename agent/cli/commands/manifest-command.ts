// `hephaestus manifest [--repo DIR] [--check]`: regenerates the repository's AGENTS.md (the only
// command that writes it into the working tree), or with --check reports whether it is stale.
// Only a generated AGENTS.md (or the part between begin/end markers) is written; the map of a
// repository whose AGENTS.md is hand-written goes to .hephaestus/AGENTS.md.
import type { LogLevel } from '../../config/log-levels.js';
import { cacheProblem, cacheUnavailableWarning, memoryCache, openCache } from '../../cache/open-cache.js';
import { checkManifest } from '../../manifest/check-manifest.js';
import { readManifest, writeManifest } from '../../manifest/manifest-file.js';
import { placeManifest } from '../../manifest/manifest-ownership.js';
import { renderManifest } from '../../manifest/render-manifest.js';
import { scanRepository } from '../../scanner/scan-repository.js';
import type { CommandIo } from '../command-io.js';
import { openCommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import type { CliRuntime } from '../cli-runtime.js';

export interface ManifestCommandOptions {
  repo?: string;
  check?: boolean;
  logLevel?: LogLevel;
}

export async function runManifestCommand(options: ManifestCommandOptions, runtime: CliRuntime): Promise<number> {
  const context = await openCommandContext({
    command: 'manifest',
    lock: false,
    signal: runtime.signal,
    ...(options.repo !== undefined ? { repo: options.repo } : {}),
    ...(options.logLevel !== undefined ? { logLevel: options.logLevel } : {}),
    onLogger: (handle) => runtime.loggers.add(handle),
  });
  const problem = await cacheProblem(context.stateDir);
  if (problem !== null) context.logger.warn({ event: 'cache-unavailable' }, cacheUnavailableWarning(problem));
  const cache = problem === null ? await openCache(context.stateDir, 'scan') : memoryCache('scan');
  try {
    const { config } = context.loaded;
    const scan = await scanRepository(context.repository.root, { config, cache, logger: context.logger, signal: context.signal });
    const generated = renderManifest(scan, { manifestPath: config.manifest.path, redact: context.redactor.redact });
    // A hand-written AGENTS.md is never rewritten: the map then goes to .hephaestus/.
    const placement = placeManifest(config.manifest.path, await readManifest(context.repository.root, { path: config.manifest.path }), generated);
    if (placement.note) runtime.io.err(placement.note);
    const where = { path: placement.path };
    return options.check
      ? await reportCheck(context.repository.root, placement.content, where, runtime.io)
      : await reportWrite(context.repository.root, placement.content, where, scan.stats, runtime.io);
  } finally {
    await cache.disconnect();
    await context.close();
  }
}

async function reportCheck(root: string, content: string, where: { path: string }, io: CommandIo): Promise<number> {
  const check = await checkManifest(root, content, where);
  if (check.upToDate) {
    io.out(`${where.path} is up to date.`);
    return EXIT.ok;
  }
  io.err(check.summary);
  return EXIT.failure;
}

async function reportWrite(root: string, content: string, where: { path: string }, stats: { files: number; parsed: number; cacheHits: number }, io: CommandIo): Promise<number> {
  const { changed } = await writeManifest(root, content, where);
  const figures = `${stats.files} files, ${stats.parsed} parsed, ${stats.cacheHits} from the scan cache`;
  io.out(changed ? `Wrote ${where.path} (${figures}).` : `${where.path} is already up to date (${figures}).`);
  return EXIT.ok;
}
