// `hephaestus cache stats|clear [--repo DIR] [--json]`: entries, hits, misses and bytes of the
// persistent caches (namespaces llm and scan) in .hephaestus/cache.sqlite, or empties them.
// A cache that cannot be read is one warning naming the fix and an "unavailable" line (exit 0).
import path from 'node:path';
import { clearCache, readCacheStats, type CacheStatsReport } from '../../cache/cache-stats.js';
import { CACHE_NAMESPACES, type CacheNamespace } from '../../cache/open-cache.js';
import { locateRepository } from '../../git/git-environment.js';
import { stateDirOf } from '../../state/state-dir.js';
import type { CommandIo } from '../command-io.js';

export interface CacheCommandOptions {
  repo?: string;
  json?: boolean;
  /** clear only: one namespace instead of all. */
  namespace?: CacheNamespace;
}

export async function runCacheStatsCommand(options: CacheCommandOptions, io: CommandIo): Promise<number> {
  const stateDir = await stateDirFor(options);
  const report = await readCacheStats(stateDir);
  warnIfUnavailable(report, io);
  if (options.json) {
    io.out(JSON.stringify(report));
    return 0;
  }
  for (const line of formatStats(report)) io.out(line);
  return 0;
}

export async function runCacheClearCommand(options: CacheCommandOptions, io: CommandIo): Promise<number> {
  const stateDir = await stateDirFor(options);
  const namespaces = options.namespace === undefined ? CACHE_NAMESPACES : [options.namespace];
  const cleared = await clearCache(stateDir, namespaces);
  if (options.json) {
    io.out(JSON.stringify({ cleared }));
    return 0;
  }
  const parts = Object.entries(cleared).map(([namespace, entries]) => `${entries} ${namespace} ${entries === 1 ? 'entry' : 'entries'}`);
  io.out(`Cleared ${parts.join(' and ')}; hit and miss counters reset.`);
  return 0;
}

async function stateDirFor(options: CacheCommandOptions): Promise<string> {
  const repository = await locateRepository(path.resolve(options.repo ?? process.cwd()));
  return stateDirOf(repository.root);
}

/** The one warning of a command whose cache cannot be read: what is wrong and how to fix it. */
export function warnIfUnavailable(report: CacheStatsReport, io: CommandIo): void {
  if (report.unavailable) io.err(`warning: cache statistics unavailable: ${report.unavailable.message}`);
}

export function formatStats(report: CacheStatsReport): string[] {
  const file = path.relative(process.cwd(), report.file) || report.file;
  if (report.unavailable) return [`Cache ${file}: unavailable (${report.unavailable.reason}); runs go on without it.`];
  const rows = CACHE_NAMESPACES.map((namespace) => {
    const stats = report.namespaces[namespace];
    const lookups = stats.hits + stats.misses;
    return [namespace, String(stats.entries), String(stats.hits), String(stats.misses), lookups === 0 ? '-' : `${Math.round((stats.hits / lookups) * 100)}%`, formatBytes(stats.bytes)];
  });
  const table = [['namespace', 'entries', 'hits', 'misses', 'hit rate', 'size'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const render = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  const size = report.fileBytes === 0 ? 'not created yet' : `${formatBytes(report.fileBytes)} on disk`;
  return [`Cache ${file} (${size})`, ...table.map(render)];
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
