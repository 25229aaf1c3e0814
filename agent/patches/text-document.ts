// Patches work on LF text without a BOM; these helpers take a file apart and put it back so
// CRLF files stay CRLF, a BOM stays, and a missing final newline stays missing.

export interface TextDocument {
  bom: boolean;
  /** CRLF only when every line break of the file is CRLF; mixed files are edited as they are. */
  eol: '\n' | '\r\n';
  body: string;
}

const BOM = '\uFEFF';

export function decodeText(raw: string): TextDocument {
  const bom = raw.startsWith(BOM);
  const text = bom ? raw.slice(1) : raw;
  const lineFeeds = countOf(text, '\n');
  const crlf = lineFeeds > 0 && countOf(text, '\r\n') === lineFeeds;
  return { bom, eol: crlf ? '\r\n' : '\n', body: crlf ? text.replaceAll('\r\n', '\n') : text };
}

export function encodeText(document: TextDocument): string {
  const body = document.eol === '\r\n' ? document.body.replaceAll('\n', '\r\n') : document.body;
  return document.bom ? BOM + body : body;
}

/** Text from a model: CRLF becomes LF so it compares with decoded bodies. */
export function normalizeNewlines(text: string): string {
  return text.replaceAll('\r\n', '\n');
}

/** `content` as lines to insert: a trailing newline of a string does not add an empty line. */
export function contentLines(content: string | readonly string[]): string[] {
  if (typeof content !== 'string') return content.flatMap((line) => normalizeNewlines(line).split('\n'));
  const text = normalizeNewlines(content);
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/** `content` as text: arrays are lines joined by LF. */
export function contentText(content: string | readonly string[]): string {
  return typeof content === 'string' ? normalizeNewlines(content) : contentLines(content).join('\n');
}

export interface Lines {
  lines: string[];
  finalNewline: boolean;
}

export function splitLines(body: string): Lines {
  if (body === '') return { lines: [], finalNewline: false };
  const finalNewline = body.endsWith('\n');
  const lines = body.split('\n');
  if (finalNewline) lines.pop();
  return { lines, finalNewline };
}

export function joinLines({ lines, finalNewline }: Lines): string {
  if (lines.length === 0) return '';
  return lines.join('\n') + (finalNewline ? '\n' : '');
}

/** 1-based line number of the character at `offset`. */
export function lineAt(body: string, offset: number): number {
  let line = 1;
  for (let index = body.indexOf('\n'); index !== -1 && index < offset; index = body.indexOf('\n', index + 1)) line++;
  return line;
}

function countOf(text: string, needle: string): number {
  let count = 0;
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + needle.length)) count++;
  return count;
}
