// The matching ladder for blocks and anchors: exact text, then whitespace-tolerant line by
// line; a regular expression only when the plan says so. Exactly one match is accepted;
// otherwise the result says where the nearest or competing lines are, for the model.
import { distance } from 'fastest-levenshtein';
import { lineAt, normalizeNewlines } from './text-document.js';

export interface LineSpan {
  /** 1-based, inclusive. */
  first: number;
  last: number;
}

export interface LineExcerpt extends LineSpan {
  /** The lines, each prefixed with its number: `40| const x = 1;`. */
  text: string;
}

export type BlockLocation =
  | { kind: 'found'; start: number; end: number }
  | { kind: 'not-found'; nearest?: LineExcerpt }
  | { kind: 'ambiguous'; matches: LineSpan[]; moreThanListed: boolean }
  | { kind: 'invalid-regex'; message: string };

const LISTED_MATCHES = 5;
const EXCERPT_LINES = 12;
const EXCERPT_LINE_CHARS = 200;
// Bounds the nearest-lines search (line comparisons) on large files.
const NEAREST_COMPARISONS = 60_000;

/** Finds `block` in the LF `body`: offsets of the one match, or why there is not exactly one. */
export function locateBlock(body: string, block: string, options: { isRegex?: boolean } = {}): BlockLocation {
  if (options.isRegex) return locateRegex(body, block);
  const needle = normalizeNewlines(block);
  const exact = exactMatches(body, needle);
  if (exact.length === 1) return { kind: 'found', start: exact[0]!, end: exact[0]! + needle.length };
  if (exact.length > 1) return ambiguous(body, exact.map((start) => ({ start, end: start + needle.length })));
  return locateTolerant(body, needle);
}

function exactMatches(body: string, needle: string): number[] {
  const starts: number[] = [];
  // Overlapping occurrences count: "aa" in "aaa" is ambiguous.
  for (let index = body.indexOf(needle); index !== -1 && starts.length <= LISTED_MATCHES; index = body.indexOf(needle, index + 1)) {
    starts.push(index);
  }
  return starts;
}

function locateTolerant(body: string, needle: string): BlockLocation {
  const blockLines = trimBlankEdges(needle.split('\n')).map(normalizeWhitespace);
  const fileLines = body.split('\n');
  if (blockLines.length === 0) return { kind: 'not-found' };
  const normalizedFile = fileLines.map(normalizeWhitespace);
  const starts: number[] = [];
  for (let line = 0; line + blockLines.length <= fileLines.length && starts.length <= LISTED_MATCHES; line++) {
    if (blockLines.every((blockLine, offset) => normalizedFile[line + offset] === blockLine)) starts.push(line);
  }
  if (starts.length === 0) return { kind: 'not-found', ...nearestOf(fileLines, normalizedFile, blockLines) };
  const lineOffsets = offsetsOfLines(fileLines);
  const ranges = starts.map((line) => {
    const lastLine = line + blockLines.length - 1;
    return { start: lineOffsets[line]!, end: lineOffsets[lastLine]! + fileLines[lastLine]!.length };
  });
  if (ranges.length === 1) return { kind: 'found', ...ranges[0]! };
  return ambiguous(body, ranges);
}

function locateRegex(body: string, source: string): BlockLocation {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, 'gm');
  } catch (error) {
    return { kind: 'invalid-regex', message: (error as Error).message };
  }
  const ranges: Array<{ start: number; end: number }> = [];
  for (const match of body.matchAll(pattern)) {
    ranges.push({ start: match.index, end: match.index + match[0].length });
    if (ranges.length > LISTED_MATCHES) break;
  }
  if (ranges.length === 1) return { kind: 'found', ...ranges[0]! };
  if (ranges.length === 0) return { kind: 'not-found' };
  return ambiguous(body, ranges);
}

function ambiguous(body: string, ranges: ReadonlyArray<{ start: number; end: number }>): BlockLocation {
  const matches = ranges.slice(0, LISTED_MATCHES).map(({ start, end }) => ({
    first: lineAt(body, start),
    last: lineAt(body, Math.max(start, end - 1)),
  }));
  return { kind: 'ambiguous', matches, moreThanListed: ranges.length > LISTED_MATCHES };
}

/** The window of file lines most similar to the block, line by line (Levenshtein). */
function nearestOf(fileLines: readonly string[], normalizedFile: readonly string[], blockLines: readonly string[]): { nearest?: LineExcerpt } {
  const fileLength = countLines(fileLines);
  if (fileLength === 0) return {};
  const window = Math.min(blockLines.length, fileLength);
  const scored = Math.max(1, Math.min(window, Math.floor(NEAREST_COMPARISONS / fileLength)));
  let bestLine = 0;
  let bestScore = -1;
  for (let line = 0; line + window <= fileLength; line++) {
    let score = 0;
    for (let offset = 0; offset < scored; offset++) score += similarity(blockLines[offset]!, normalizedFile[line + offset]!);
    if (score > bestScore) {
      bestScore = score;
      bestLine = line;
    }
  }
  return { nearest: excerpt(fileLines, bestLine + 1, bestLine + window) };
}

/** Line count without the empty string after a final newline. */
function countLines(fileLines: readonly string[]): number {
  return fileLines.length > 0 && fileLines.at(-1) === '' ? fileLines.length - 1 : fileLines.length;
}

export function excerpt(fileLines: readonly string[], first: number, last: number): LineExcerpt {
  const shownLast = Math.min(last, first + EXCERPT_LINES - 1);
  const text = fileLines
    .slice(first - 1, shownLast)
    .map((line, index) => `${first + index}| ${line.length > EXCERPT_LINE_CHARS ? `${line.slice(0, EXCERPT_LINE_CHARS)}…` : line}`)
    .join('\n');
  return { first, last: shownLast, text };
}

/** "line 4" or "lines 4–7", for messages. */
export function describeSpan({ first, last }: LineSpan): string {
  return first === last ? `line ${first}` : `lines ${first}–${last}`;
}

function similarity(left: string, right: string): number {
  const longest = Math.max(left.length, right.length);
  if (longest === 0) return 1;
  const a = left.slice(0, EXCERPT_LINE_CHARS);
  const b = right.slice(0, EXCERPT_LINE_CHARS);
  return 1 - distance(a, b) / Math.max(a.length, b.length, 1);
}

function normalizeWhitespace(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

function trimBlankEdges(lines: string[]): string[] {
  let first = 0;
  let last = lines.length;
  while (first < last && lines[first]!.trim() === '') first++;
  while (last > first && lines[last - 1]!.trim() === '') last--;
  return lines.slice(first, last);
}

function offsetsOfLines(lines: readonly string[]): number[] {
  const offsets: number[] = [];
  let offset = 0;
  for (const line of lines) {
    offsets.push(offset);
    offset += line.length + 1;
  }
  return offsets;
}
