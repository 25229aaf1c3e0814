// Applies the language service's text changes (offsets into the original text) to a file's text.
import type { ts } from 'ts-morph';

export function applyTextChanges(text: string, changes: readonly ts.TextChange[]): string {
  let result = text;
  for (const change of [...changes].sort((left, right) => right.span.start - left.span.start)) {
    result = result.slice(0, change.span.start) + change.newText + result.slice(change.span.start + change.span.length);
  }
  return result;
}
