// Which files the Architect reads in full: the files the objective names (its `files` list and
// paths or unique file names in its text), then their import neighbours, ranked, within a token
// budget. Secret files and files the scanner did not read as text never qualify.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { throwIfAborted } from '../core/abort.js';
import { estimateTokens } from '../llm/token-estimate.js';
import { normalizeRepositoryPath } from '../patches/repository-path.js';
import type { ScanResult, ScannedFile } from '../scanner/scan-types.js';
import { isSecretFile } from './secret-files.js';

/** named: the objective names it; imported: a named file imports it; importer: it imports a named file. */
export type ContextReason = 'named' | 'imported' | 'importer';

export interface ContextCandidate {
  path: string;
  reason: ContextReason;
}

export interface ContextFile extends ContextCandidate {
  content: string;
  tokens: number;
}

export interface ContextSelection {
  files: ContextFile[];
  /** Candidates left out because they did not fit in the budget. */
  omitted: Array<ContextCandidate & { tokens: number }>;
  /** Paths the objective names that do not exist yet (files to create). */
  missing: string[];
}

export interface ObjectiveFiles {
  text: string;
  files?: readonly string[];
  detail?: string | null;
}

export interface SelectContextOptions {
  repoRoot: string;
  budgetTokens: number;
  signal?: AbortSignal;
}

const READABLE = new Set(['parsed', 'text']);
// Path-like words: letters, digits and . _ - / @; trailing punctuation is trimmed afterwards.
const PATH_WORD = /[\w@.\-/]+/g;

/** Ranked candidates: named files in the order named, then neighbours by how many named files they touch. */
export function rankContextCandidates(objective: ObjectiveFiles, scan: ScanResult): { candidates: ContextCandidate[]; missing: string[] } {
  const byPath = new Map(scan.files.map((file) => [file.path, file]));
  const eligible = (file: ScannedFile | undefined): file is ScannedFile => file !== undefined && READABLE.has(file.status) && !isSecretFile(file.path);

  const named: string[] = [];
  const missing: string[] = [];
  const addNamed = (file: string): void => {
    if (named.includes(file) || missing.includes(file)) return;
    const scanned = byPath.get(file);
    if (scanned === undefined) {
      if (!isSecretFile(file)) missing.push(file);
    } else if (eligible(scanned)) named.push(file);
  };
  for (const listed of objective.files ?? []) {
    const normalized = normalizeRepositoryPath(listed);
    if (normalized.ok) addNamed(normalized.path);
  }
  const mentioned = mentionedFiles(`${objective.text}\n${objective.detail ?? ''}`, scan.files);
  for (const file of mentioned) addNamed(file);

  const seeds = new Set(named);
  const neighbours = new Map<string, { reason: ContextReason; links: number }>();
  const link = (file: string, reason: ContextReason): void => {
    if (seeds.has(file) || !eligible(byPath.get(file))) return;
    const known = neighbours.get(file);
    if (known) known.links++;
    else neighbours.set(file, { reason, links: 1 });
  };
  for (const seed of named) for (const imported of scan.graph.imports[seed] ?? []) link(imported, 'imported');
  for (const seed of named) for (const importer of scan.graph.importedBy[seed] ?? []) link(importer, 'importer');

  const ranked = [...neighbours]
    .map(([file, neighbour]) => ({ file, ...neighbour, isTest: byPath.get(file)?.isTest ?? false }))
    .sort(
      (left, right) =>
        right.links - left.links ||
        rankOfReason(left.reason) - rankOfReason(right.reason) ||
        Number(left.isTest) - Number(right.isTest) ||
        (left.file < right.file ? -1 : left.file > right.file ? 1 : 0),
    );
  return {
    candidates: [...named.map((file) => ({ path: file, reason: 'named' as const })), ...ranked.map(({ file, reason }) => ({ path: file, reason }))],
    missing,
  };
}

/** Reads the ranked candidates whole, skipping any that would overflow the budget. */
export async function selectContextFiles(objective: ObjectiveFiles, scan: ScanResult, options: SelectContextOptions): Promise<ContextSelection> {
  const { candidates, missing } = rankContextCandidates(objective, scan);
  const files: ContextFile[] = [];
  const omitted: ContextSelection['omitted'] = [];
  let remaining = options.budgetTokens;
  for (const candidate of candidates) {
    throwIfAborted(options.signal, 'Building the Architect context was interrupted.');
    const content = await readText(options.repoRoot, candidate.path, options.signal);
    if (content === null) continue;
    const tokens = estimateTokens(content);
    if (tokens > remaining) {
      omitted.push({ ...candidate, tokens });
      continue;
    }
    remaining -= tokens;
    files.push({ ...candidate, content, tokens });
  }
  return { files, omitted, missing };
}

/** Files whose path, or whose name when no other file has it, appears in the text. */
function mentionedFiles(text: string, files: readonly ScannedFile[]): string[] {
  const paths = new Set(files.map((file) => file.path));
  const byName = new Map<string, string[]>();
  for (const file of files) {
    const name = path.posix.basename(file.path);
    byName.set(name, [...(byName.get(name) ?? []), file.path]);
  }
  const found: string[] = [];
  for (const match of text.matchAll(PATH_WORD)) {
    const word = match[0].replace(/[.,:;!?]+$/, '').replace(/^\.\//, '');
    if (word === '') continue;
    if (paths.has(word)) found.push(word);
    else if (!word.includes('/') && byName.get(word)?.length === 1) found.push(byName.get(word)![0]!);
  }
  return [...new Set(found)];
}

function rankOfReason(reason: ContextReason): number {
  return reason === 'named' ? 0 : reason === 'imported' ? 1 : 2;
}

async function readText(repoRoot: string, file: string, signal: AbortSignal | undefined): Promise<string | null> {
  try {
    return await readFile(path.join(repoRoot, file), { encoding: 'utf8', ...(signal ? { signal } : {}) });
  } catch (error) {
    throwIfAborted(signal, 'Building the Architect context was interrupted.');
    // A file deleted since the scan has nothing to show.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
