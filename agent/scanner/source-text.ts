// Small helpers over TypeScript source text shared by the skeleton and metrics passes:
// lines of positions, collapsed declaration headers, first doc-comment lines.
import { ts } from 'ts-morph';

const MAX_SIGNATURE = 200;

export function lineOf(sourceFile: ts.SourceFile, position: number): number {
  return sourceFile.getLineAndCharacterOfPosition(position).line + 1;
}

/** Source text between two positions with whitespace collapsed and long text cut. */
export function collapse(text: string, maxLength = MAX_SIGNATURE): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed.length > maxLength ? `${collapsed.slice(0, maxLength - 1)}…` : collapsed;
}

/** The declaration text up to (not including) `bodyStart`, without `export`/`declare` noise. */
export function headerOf(sourceFile: ts.SourceFile, node: ts.Node, bodyStart: number | undefined, maxLength = MAX_SIGNATURE): string {
  const start = node.getStart(sourceFile);
  const end = bodyStart ?? node.end;
  const text = sourceFile.text.slice(start, end).replace(/[{;=\s]*$/, '');
  return collapse(text.replace(/^export\s+/, '').replace(/^declare\s+/, ''), maxLength);
}

/** First sentence of the `/** … *\/` comment directly before `node`, if any. */
export function docOf(sourceFile: ts.SourceFile, node: ts.Node): string | undefined {
  const ranges = ts.getLeadingCommentRanges(sourceFile.text, node.pos);
  const last = ranges?.at(-1);
  if (last === undefined || !sourceFile.text.startsWith('/**', last.pos)) return undefined;
  return firstCommentSentence(sourceFile.text.slice(last.pos, last.end));
}

/**
 * The comment's first sentence (any comment syntax), joined across wrapped lines and cut at 160
 * characters; undefined when the comment is empty or starts with a tag.
 */
export function firstCommentSentence(comment: string): string | undefined {
  const words: string[] = [];
  for (const raw of comment.split('\n')) {
    const line = raw
      .replace(/^\s*(\/\*\*?|\/\/+|\*\/|\*)?/, '')
      .replace(/\*\/\s*$/, '')
      .trim();
    if (line === '') {
      if (words.length > 0) break;
      continue;
    }
    // Tags start after the description.
    if (line.startsWith('@')) break;
    words.push(line);
    if (/[.!?:]$/.test(line)) break;
  }
  const paragraph = words.join(' ');
  const sentenceEnd = /[.!?](?=\s)/.exec(paragraph);
  const sentence = sentenceEnd ? paragraph.slice(0, sentenceEnd.index + 1) : paragraph;
  return sentence === '' ? undefined : collapse(sentence, 160);
}
