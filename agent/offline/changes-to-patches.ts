// Turns "this file, before → after" into ordinary patch-plan patches: one REPLACE (or
// DELETE_BLOCK) per changed region, each block made of whole lines and widened with context
// until it occurs exactly once; a single DIFF of the file when no such blocks exist.
import { createPatch, diffLines } from 'diff';
import type { z } from 'zod';
import type { patchPlanSchema } from '../patches/plan-schema.js';

/** A patch as a reply carries it (the schema's input side: optional fields may be absent). */
export type PatchReply = z.input<typeof patchPlanSchema>['patches'][number];

interface Region {
  /** 0-based index of the first old line the change touches. */
  start: number;
  /** Old lines removed. */
  removed: number;
  /** New text inserted in their place (whole lines). */
  added: string;
}

/** `before` and `after` are LF texts of `file`. */
export function changeToPatches(file: string, before: string, after: string): PatchReply[] {
  const blocks = blockPatches(file, before, after);
  return blocks ?? [diffPatch(file, before, after)];
}

export function diffPatch(file: string, before: string, after: string): PatchReply {
  const diff = createPatch(file, before, after, '', '', { context: 3 });
  // The hunks alone: the applier reads `@@` sections and ignores the file headers.
  return { operation: 'DIFF', file_path: file, diff: diff.slice(diff.indexOf('@@')) };
}

function blockPatches(file: string, before: string, after: string): PatchReply[] | null {
  const lines = linesWithBreaks(before);
  const patches: PatchReply[] = [];
  let previousEnd = 0;
  for (const region of regionsOf(before, after)) {
    let low = region.start;
    let high = region.start + region.removed;
    if (low === high) {
      // A pure insertion needs an anchor line to sit next to.
      if (low > 0) low -= 1;
      else high += 1;
    }
    while (!isUsableBlock(lines.slice(low, high).join(''), before)) {
      if (low > previousEnd) low -= 1;
      else if (high < lines.length) high += 1;
      else return null;
    }
    if (low < previousEnd || high > lines.length) return null;
    previousEnd = high;
    const block = lines.slice(low, high).join('');
    const replacement = lines.slice(low, region.start).join('') + region.added + lines.slice(region.start + region.removed, high).join('');
    patches.push(patchFor(file, block, replacement));
  }
  return patches;
}

function patchFor(file: string, block: string, replacement: string): PatchReply {
  // Blocks are whole lines; the applier keeps the matched text's line break, so both drop theirs.
  const trimmedBlock = block.endsWith('\n') ? block.slice(0, -1) : block;
  if (replacement === '') return { operation: 'DELETE_BLOCK', file_path: file, block_to_delete: trimmedBlock };
  const trimmedReplacement = block.endsWith('\n') && replacement.endsWith('\n') ? replacement.slice(0, -1) : replacement;
  return { operation: 'REPLACE', file_path: file, block_to_replace: trimmedBlock, content: trimmedReplacement };
}

function regionsOf(before: string, after: string): Region[] {
  const regions: Region[] = [];
  let line = 0;
  let current: Region | null = null;
  for (const part of diffLines(before, after)) {
    const count = linesWithBreaks(part.value).length;
    if (!part.added && !part.removed) {
      if (current) regions.push(current);
      current = null;
      line += count;
      continue;
    }
    current ??= { start: line, removed: 0, added: '' };
    if (part.removed) {
      current.removed += count;
      line += count;
    } else {
      current.added += part.value;
    }
  }
  if (current) regions.push(current);
  return regions;
}

/** Not only blank lines, and exactly one (possibly overlapping) occurrence in the file. */
function isUsableBlock(block: string, text: string): boolean {
  if (block.trim() === '') return false;
  const needle = block.endsWith('\n') ? block.slice(0, -1) : block;
  const first = text.indexOf(needle);
  return first !== -1 && text.indexOf(needle, first + 1) === -1;
}

function linesWithBreaks(text: string): string[] {
  if (text === '') return [];
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
