// Which files the Architect reads: the files the objective names (its `files` list and paths or
// unique file names in its text) in full; when the plan is expected to add or change tests, one
// nearby existing test as a style example; then their import neighbours, ranked, a large one as
// an outline. All within a character budget, measured on the text as rendered in the prompt.
// Secret files and files the scanner did not read as text never qualify.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { throwIfAborted } from '../core/abort.js';
import { estimateTokens } from '../llm/token-estimate.js';
import { normalizeRepositoryPath } from '../patches/repository-path.js';
import type { ScanResult, ScannedFile } from '../scanner/scan-types.js';
import { outlineOf, renderContextFile, renderMissingFile, type ContextFile, type ContextReason } from './render-context-file.js';
import { isSecretFile } from './secret-files.js';

export type { ContextFile, ContextReason } from './render-context-file.js';

export interface ContextCandidate {
  path: string;
  reason: ContextReason;
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
  /** Characters the rendered file sections (and their notes) may take. */
  budgetCharacters: number;
  /** A neighbour longer than this (characters) is shown as an outline. */
  outlineCharacters: number;
  /** The manifest as the prompt shows it: outlines do not repeat what it lists. */
  manifest: string;
  signal?: AbortSignal;
}

/** Between two sections of the files block. */
export const SECTION_SEPARATOR = '\n\n';
export const OMITTED_NOTE = 'Left out to fit the context budget (ask for a smaller change if you need them): ';

/** The files block of the prompt, as selected. */
export function renderContextSelection(selection: ContextSelection): string | null {
  const sections = [...selection.files.map(renderContextFile), ...selection.missing.map(renderMissingFile)];
  if (selection.omitted.length > 0) sections.push(`${OMITTED_NOTE}${selection.omitted.map(omittedEntry).join(', ')}`);
  return sections.length === 0 ? null : sections.join(SECTION_SEPARATOR);
}

function omittedEntry(file: ContextSelection['omitted'][number]): string {
  return `${file.path} (~${file.tokens} tokens)`;
}

const READABLE = new Set(['parsed', 'text']);
// Path-like words: letters, digits and . _ - / @; trailing punctuation is trimmed afterwards.
const PATH_WORD = /[\w@.\-/]+/g;

/**
 * Ranked candidates: named files in the order named, the test example (when tests are expected),
 * then neighbours by how many named files they touch. `exampleCharacters` bounds the example's size.
 */
export function rankContextCandidates(objective: ObjectiveFiles, scan: ScanResult, exampleCharacters = Number.POSITIVE_INFINITY): { candidates: ContextCandidate[]; missing: string[] } {
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
  const example = testsExpected(objective, named, missing, byPath) ? testExample(named, scan, exampleCharacters, eligible) : null;
  return {
    candidates: [
      ...named.map((file) => ({ path: file, reason: 'named' as const })),
      ...(example === null ? [] : [{ path: example, reason: 'example' as const }]),
      ...ranked.filter(({ file }) => file !== example).map(({ file, reason }) => ({ path: file, reason })),
    ],
    missing,
  };
}

const TEST_WORDS = /\b(tests?|testing|tested|specs?|coverage|covered)\b/i;
const TEST_PATH = /(^|\/)(tests?|__tests__|specs?)\/|[._-](test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]+\.py$|_test\.(py|go)$/;

/** The plan will add or change tests: the objective says so or names a test file; none of the named files is a test already. */
function testsExpected(objective: ObjectiveFiles, named: readonly string[], missing: readonly string[], byPath: ReadonlyMap<string, ScannedFile>): boolean {
  if (named.some((file) => byPath.get(file)?.isTest)) return false;
  return TEST_WORDS.test(`${objective.text}\n${objective.detail ?? ''}`) || missing.some((file) => TEST_PATH.test(file));
}

/** The existing test nearest the named files: one that imports them, then one named like them, then the closest by folder; smaller first. */
function testExample(named: readonly string[], scan: ScanResult, maxCharacters: number, eligible: (file: ScannedFile | undefined) => file is ScannedFile): string | null {
  const stems = named.map((file) => path.posix.basename(file).replace(/\.[^.]+$/, '').toLowerCase());
  const folders = named.map((file) => path.posix.dirname(file).split('/'));
  const scored = scan.files
    .filter((file) => file.isTest && eligible(file) && file.bytes <= maxCharacters && !named.includes(file.path))
    .map((file) => {
      const imports = scan.graph.imports[file.path] ?? [];
      const name = path.posix.basename(file.path).toLowerCase();
      const folder = path.posix.dirname(file.path).split('/');
      return {
        file,
        importsNamed: named.some((seed) => imports.includes(seed)) ? 1 : 0,
        namedAlike: stems.some((stem) => stem.length > 1 && name.includes(stem)) ? 1 : 0,
        shared: Math.max(0, ...folders.map((seed) => sharedPrefix(seed, folder))),
      };
    })
    .sort((left, right) => right.importsNamed - left.importsNamed || right.namedAlike - left.namedAlike || right.shared - left.shared || left.file.bytes - right.file.bytes || (left.file.path < right.file.path ? -1 : 1));
  return scored[0]?.file.path ?? null;
}

function sharedPrefix(left: readonly string[], right: readonly string[]): number {
  let count = 0;
  while (count < left.length && count < right.length && left[count] === right[count]) count++;
  return count;
}

/**
 * Reads the ranked candidates: named files and the example whole, a neighbour longer than
 * `outlineCharacters` as its outline; skips any that would overflow the budget (listed in a note
 * that the budget counts too).
 */
export async function selectContextFiles(objective: ObjectiveFiles, scan: ScanResult, options: SelectContextOptions): Promise<ContextSelection> {
  const { candidates, missing } = rankContextCandidates(objective, scan, options.outlineCharacters);
  const byPath = new Map(scan.files.map((file) => [file.path, file]));
  const files: ContextFile[] = [];
  const omitted: ContextSelection['omitted'] = [];
  // Every section but the first is preceded by a separator; missing files are listed whatever happens.
  let remaining = options.budgetCharacters - missing.reduce((total, file) => total + renderMissingFile(file).length + SECTION_SEPARATOR.length, 0);
  const take = (characters: number): boolean => {
    if (characters > remaining) return false;
    remaining -= characters;
    return true;
  };
  for (const candidate of candidates) {
    throwIfAborted(options.signal, 'Building the Architect context was interrupted.');
    const text = await readText(options.repoRoot, candidate.path, options.signal);
    if (text === null) continue;
    const outline = candidate.reason !== 'named' && candidate.reason !== 'example' && text.length > options.outlineCharacters;
    const content = outline ? outlineOf(byPath.get(candidate.path)!, text.length, options.manifest) : text;
    const file: ContextFile = { ...candidate, form: outline ? 'outline' : 'full', content, tokens: estimateTokens(content) };
    if (take(renderContextFile(file).length + SECTION_SEPARATOR.length)) {
      files.push(file);
      continue;
    }
    const entry = { ...candidate, tokens: estimateTokens(text) };
    // The note names what was left out, when it fits itself.
    if (take((omitted.length === 0 ? OMITTED_NOTE.length + SECTION_SEPARATOR.length : 2) + omittedEntry(entry).length)) omitted.push(entry);
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
