// Applies a validated plan to an overlay, patch by patch, all or nothing: the overlay is
// written only when every patch applied. Each patch sees the file as patched so far.
import { diffLines } from 'diff';
import { applyDiff } from './apply-diff.js';
import { describeSpan, locateBlock } from './locate-block.js';
import type { Overlay } from './overlay.js';
import type { InsertPatch, Patch, PatchPlan } from './plan-schema.js';
import type { PlanProblem } from './plan-problem.js';
import { normalizeRepositoryPath } from './repository-path.js';
import { throwIfAborted } from '../core/abort.js';
import { contentLines, contentText, decodeText, encodeText, joinLines, lineAt, normalizeNewlines, splitLines, type TextDocument } from './text-document.js';

export interface PlanStats {
  /** Files created, changed or deleted. */
  files: number;
  /** Lines added plus lines removed, over all files. */
  changedLines: number;
}

export type ApplyPatchPlanResult =
  | { ok: true; changes: Map<string, string | null>; stats: PlanStats }
  | { ok: false; problems: PlanProblem[] };

export interface ApplyPatchPlanOptions {
  signal?: AbortSignal;
}

interface FileState {
  /** null: the file does not exist (yet, or any more). */
  document: TextDocument | null;
  /** Indexes of earlier patches that changed this file. */
  patchedBy: number[];
}

type PatchOutcome = { ok: true; document: TextDocument | null } | { ok: false; problem: Omit<PlanProblem, 'patchIndex'> };

const BLOCK_HINT = 'Copy the text exactly from the current file (indentation and spaces at line ends are tolerated); it must match exactly once.';

export async function applyPatchPlan(plan: PatchPlan, overlay: Overlay, options: ApplyPatchPlanOptions = {}): Promise<ApplyPatchPlanResult> {
  const states = new Map<string, FileState>();
  for (const [patchIndex, patch] of plan.patches.entries()) {
    throwIfAborted(options.signal, 'patch plan check aborted');
    const normalized = normalizeRepositoryPath(patch.file_path);
    if (!normalized.ok) {
      return failure({ code: 'PATH_REJECTED', file: patch.file_path, patchIndex, message: `path "${patch.file_path}" ${normalized.reason}` });
    }
    const file = normalized.path;
    let state = states.get(file);
    if (!state) {
      const read = await overlay.read(file);
      if (read.kind === 'unreadable') {
        return failure({ code: 'FILE_NOT_TEXT', file, patchIndex, message: `${file} ${read.reason}`, hint: 'Only UTF-8 text files can be patched.' });
      }
      state = { document: read.kind === 'text' ? decodeText(read.content) : null, patchedBy: [] };
    }
    const outcome = applyPatch(patch, file, state.document);
    if (!outcome.ok) return failure({ ...outcome.problem, patchIndex, ...withEarlierPatches(outcome.problem, state.patchedBy) });
    if (sameDocument(state.document, outcome.document)) {
      return failure({ code: 'PATCH_NO_EFFECT', file, patchIndex, message: `${patch.operation} leaves ${file} unchanged`, hint: 'Every patch must change its file; drop this patch or give the intended new text.' });
    }
    states.set(file, { document: outcome.document, patchedBy: [...state.patchedBy, patchIndex] });
  }
  for (const [file, { document }] of states) {
    if (document === null) overlay.remove(file);
    else overlay.write(file, encodeText(document));
  }
  const changes = overlay.changes();
  return { ok: true, changes, stats: await measureChanges(overlay, changes) };
}

function applyPatch(patch: Patch, file: string, document: TextDocument | null): PatchOutcome {
  switch (patch.operation) {
    case 'INSERT':
      return document === null ? missing(file, patch.operation) : insert(file, document, patch);
    case 'REPLACE':
      // Whole file: creates a new one or rewrites an existing one (its BOM and line breaks kept).
      if (patch.block_to_replace === null) return { ok: true, document: wholeDocument(patch.content, document) };
      if (document === null) return missing(file, patch.operation);
      return replaceBlock(file, document, patch.block_to_replace, contentText(patch.content), patch.is_regex ?? false);
    case 'DELETE_BLOCK':
      if (document === null) return missing(file, patch.operation);
      if (patch.block_to_delete === null) return { ok: true, document: null };
      return deleteBlock(file, document, patch.block_to_delete, patch.is_regex ?? false);
    case 'DIFF': {
      const result = applyDiff(file, document?.body ?? null, patch.diff);
      if (!result.ok) return result;
      return { ok: true, document: document ? { ...document, body: result.body } : decodeText(result.body) };
    }
  }
}

function insert(file: string, document: TextDocument, patch: InsertPatch): PatchOutcome {
  const { lines, finalNewline } = splitLines(document.body);
  let before = lines.length;
  if (patch.after !== undefined) {
    const location = locateBlock(document.body, patch.after, { isRegex: patch.is_regex ?? false });
    if (location.kind !== 'found') return notExactlyOnce(file, 'anchor', location);
    // After the line on which the anchor ends (an anchor ending with a newline ends on the line before).
    before = lineAt(document.body, location.end > location.start ? location.end - 1 : location.end);
  } else if (patch.line_number !== undefined) {
    if (patch.line_number > lines.length + 1) {
      return problem({ code: 'LINE_OUT_OF_RANGE', file, line: patch.line_number, message: `line_number ${patch.line_number} is past the end of ${file} (${lines.length} lines)`, hint: `Use a line_number from 1 to ${lines.length + 1}, or omit it to append.` });
    }
    before = patch.line_number - 1;
  }
  lines.splice(before, 0, ...contentLines(patch.content));
  // A file that was empty gets a final newline, like files written by editors.
  const body = joinLines({ lines, finalNewline: finalNewline || document.body === '' });
  return { ok: true, document: { ...document, body } };
}

function replaceBlock(file: string, document: TextDocument, block: string, replacement: string, isRegex: boolean): PatchOutcome {
  const location = locateBlock(document.body, block, { isRegex });
  if (location.kind !== 'found') return notExactlyOnce(file, 'block', location);
  const { body } = document;
  const matched = body.slice(location.start, location.end);
  // The replacement's trailing newline follows the matched text's, so lines neither merge nor double.
  let text = replacement;
  if (matched.endsWith('\n') && text !== '' && !text.endsWith('\n')) text += '\n';
  if (!matched.endsWith('\n') && text.endsWith('\n')) text = text.slice(0, -1);
  return { ok: true, document: { ...document, body: body.slice(0, location.start) + text + body.slice(location.end) } };
}

function deleteBlock(file: string, document: TextDocument, block: string, isRegex: boolean): PatchOutcome {
  const location = locateBlock(document.body, block, { isRegex });
  if (location.kind !== 'found') return notExactlyOnce(file, 'block', location);
  const { body } = document;
  let { start, end } = location;
  const startsLine = start === 0 || body[start - 1] === '\n';
  const endsLine = end === body.length || body[end] === '\n' || body[end - 1] === '\n';
  // Whole lines go with their line break, so no empty line is left behind.
  if (startsLine && endsLine && body[end - 1] !== '\n') {
    if (end < body.length) end++;
    else if (start > 0) start--;
  }
  return { ok: true, document: { ...document, body: body.slice(0, start) + body.slice(end) } };
}

function wholeDocument(content: string | string[], existing: TextDocument | null): TextDocument {
  const written = decodeText(typeof content === 'string' ? content : `${contentLines(content).join('\n')}\n`);
  if (existing === null) return written;
  return { bom: existing.bom || written.bom, eol: existing.eol, body: normalizeNewlines(written.body) };
}

function notExactlyOnce(file: string, what: 'block' | 'anchor', location: Exclude<ReturnType<typeof locateBlock>, { kind: 'found' }>): PatchOutcome {
  switch (location.kind) {
    case 'invalid-regex':
      return problem({ code: 'PLAN_INVALID', file, message: `the ${what} for ${file} is not a valid regular expression: ${location.message}`, hint: 'Fix the expression, or drop is_regex and give the exact text.' });
    case 'not-found': {
      const { nearest } = location;
      return problem({
        code: 'BLOCK_NOT_FOUND',
        file,
        ...(nearest ? { line: nearest.first } : {}),
        message: `${what} not found in ${file}${nearest ? `; nearest ${describeSpan(nearest)}:\n${nearest.text}` : ''}`,
        hint: BLOCK_HINT,
      });
    }
    case 'ambiguous': {
      const spans = location.matches.map(describeSpan);
      return problem({
        code: 'BLOCK_AMBIGUOUS',
        file,
        line: location.matches[0]!.first,
        message: `${what} matches ${location.moreThanListed ? `more than ${spans.length}` : spans.length} times in ${file} (${spans.join(', ')})`,
        hint: `Include more surrounding lines so the ${what} matches exactly once.`,
      });
    }
  }
}

function withEarlierPatches(found: Omit<PlanProblem, 'patchIndex'>, patchedBy: readonly number[]): Partial<PlanProblem> {
  if (patchedBy.length === 0 || (found.code !== 'BLOCK_NOT_FOUND' && found.code !== 'BLOCK_AMBIGUOUS')) return {};
  const earlier = patchedBy.map((index) => `#${index + 1}`).join(', ');
  return { hint: `${found.hint ?? ''} Patch ${earlier} of this plan already changed this file; text is matched against the file as patched so far.`.trim() };
}

function missing(file: string, operation: string): PatchOutcome {
  return problem({ code: 'FILE_NOT_FOUND', file, message: `${operation} needs ${file}, which does not exist`, hint: 'Check the path against the file tree; to create a file, use REPLACE with block_to_replace null.' });
}

function problem(found: Omit<PlanProblem, 'patchIndex'>): PatchOutcome {
  return { ok: false, problem: found };
}

function failure(found: PlanProblem): ApplyPatchPlanResult {
  return { ok: false, problems: [found] };
}

function sameDocument(before: TextDocument | null, after: TextDocument | null): boolean {
  if (before === null || after === null) return before === after;
  return before.body === after.body && before.bom === after.bom && before.eol === after.eol;
}

async function measureChanges(overlay: Overlay, changes: ReadonlyMap<string, string | null>): Promise<PlanStats> {
  let changedLines = 0;
  for (const [file, content] of changes) {
    const base = await overlay.readBase(file);
    const before = base.kind === 'text' ? normalizeNewlines(base.content) : '';
    const after = content === null ? '' : normalizeNewlines(content);
    for (const part of diffLines(before, after)) {
      if (part.added || part.removed) changedLines += part.count ?? 0;
    }
  }
  return { files: changes.size, changedLines };
}
