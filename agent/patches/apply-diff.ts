// The DIFF operation: a unified diff of one file, applied with the `diff` package. Hunk
// line counts are recounted first (models rarely get them right); context lines compare
// whitespace-tolerantly, like blocks do.
import { applyPatch, parsePatch, type StructuredPatch } from 'diff';
import { describeSpan, locateBlock } from './locate-block.js';
import type { PlanProblem } from './plan-problem.js';
import { normalizeNewlines } from './text-document.js';

export type DiffResult = { ok: true; body: string } | { ok: false; problem: Omit<PlanProblem, 'patchIndex'> };

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;
const DIFF_HINT = 'Send a unified diff of this one file whose context and "-" lines are copied from its current text, or use REPLACE with an exact block.';

/** Applies `diffText` to the LF `body` (null when the file does not exist yet). */
export function applyDiff(file: string, body: string | null, diffText: string): DiffResult {
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(recountHunks(normalizeNewlines(diffText)));
  } catch (error) {
    return invalid(file, `the diff cannot be parsed: ${(error as Error).message}`);
  }
  const patch = patches[0];
  if (patches.length !== 1 || patch === undefined) return invalid(file, `the diff names ${patches.length} files; one DIFF patch changes exactly one file`);
  if (patch.hunks.length === 0) return invalid(file, 'the diff has no hunks (lines starting with "@@ -a,b +c,d @@")');

  const needsExistingText = patch.hunks.some((hunk) => hunk.lines.some((line) => !line.startsWith('+')));
  if (body === null && needsExistingText) {
    return { ok: false, problem: { code: 'FILE_NOT_FOUND', file, message: `${file} does not exist, but the diff has context or removed lines`, hint: 'To create a file, use REPLACE with block_to_replace null.' } };
  }
  const source = body ?? '';
  const options = { compareLine: (_line: number, line: string, _operation: string, patchContent: string) => sameIgnoringWhitespace(line, patchContent) };
  const result = applyPatch(source, patch, options);
  if (result !== false) return { ok: true, body: result };

  const failing = patch.hunks.findIndex((_hunk, index) => applyPatch(source, { ...patch, hunks: patch.hunks.slice(0, index + 1) }, options) === false);
  const hunk = patch.hunks[Math.max(0, failing)]!;
  const oldText = hunk.lines.filter((line) => !line.startsWith('+') && !line.startsWith('\\')).map((line) => line.slice(1)).join('\n');
  const location = locateBlock(source, oldText);
  const nearest = location.kind === 'not-found' ? location.nearest : undefined;
  const header = `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
  return {
    ok: false,
    problem: {
      code: 'BLOCK_NOT_FOUND',
      file,
      ...(nearest ? { line: nearest.first } : {}),
      message: `hunk ${failing + 1} (${header}) of the diff does not apply to ${file}${nearest ? `; nearest ${describeSpan(nearest)}:\n${nearest.text}` : ''}`,
      hint: DIFF_HINT,
    },
  };
}

/** Rewrites every hunk header with the line counts its body really has. */
function recountHunks(diffText: string): string {
  const lines = diffText.replace(/\n+$/, '').split('\n');
  const output: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const header = HUNK_HEADER.exec(lines[index]!);
    if (!header) {
      output.push(lines[index]!);
      continue;
    }
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    for (index++; index < lines.length && !startsNextSection(lines, index); index++) {
      // Models often drop the leading space of an empty context line.
      const line = lines[index] === '' ? ' ' : lines[index]!;
      if (line.startsWith('-')) oldCount++;
      else if (line.startsWith('+')) newCount++;
      else if (!line.startsWith('\\')) {
        oldCount++;
        newCount++;
      }
      body.push(line);
    }
    index--;
    output.push(`@@ -${header[1]},${oldCount} +${header[2]},${newCount} @@${header[3]}`, ...body);
  }
  return `${output.join('\n')}\n`;
}

function startsNextSection(lines: readonly string[], index: number): boolean {
  const line = lines[index]!;
  if (line.startsWith('@@ ')) return true;
  if (line.startsWith('diff --git ') || line.startsWith('Index: ')) return true;
  return line.startsWith('--- ') && (lines[index + 1]?.startsWith('+++ ') ?? false);
}

function sameIgnoringWhitespace(left: string, right: string): boolean {
  return left === right || left.trim().replace(/\s+/g, ' ') === right.trim().replace(/\s+/g, ' ');
}

function invalid(file: string, message: string): DiffResult {
  return { ok: false, problem: { code: 'PLAN_INVALID', file, message: `DIFF for ${file}: ${message}`, hint: DIFF_HINT } };
}
