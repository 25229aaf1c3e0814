// The one sanitiser every commit message passes through, whoever wrote it (template, model,
// revert): no control characters or terminal escapes, a single-line subject of at most 72
// characters, and no body line that git could read as a trailer. Hephaestus's own trailers
// are appended after it, as the message's last paragraph.
import { truncateSubject } from './commit-subject.js';

/** ANSI/VT escape sequences (CSI, OSC, two-character escapes), removed whole. */
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
/** C0 and C1 controls except newline and tab, and the bidirectional overrides that make text read differently than it is. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** `Token: value` as git's trailer parser sees it, for tokens that are trailers in practice. */
const TRAILER_LINE = /^\s*([A-Za-z0-9]+(?:-[A-Za-z0-9]+)+|Fixes|Closes|Resolves|Refs|Cc|Bug|Link|Change-Id)\s*[:#]/i;
const MAX_BODY_LINES = 40;

export function stripControlCharacters(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(ESCAPE_SEQUENCE, '').replace(/\t/g, ' ').replace(CONTROL, '');
}

/** A body line that reads like a trailer (`Signed-off-by: …`) is quoted, so it stays text. */
export function neutraliseTrailers(line: string): string {
  return TRAILER_LINE.test(line) ? `"${line.trim()}"` : line;
}

export function sanitiseCommitMessage(message: string): string {
  const lines = stripControlCharacters(message).split('\n');
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  const subject = truncateSubject(neutraliseTrailers(lines.shift() ?? '')) || 'chore: update';
  const body = lines
    .map((line) => neutraliseTrailers(line.trimEnd()))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .split('\n')
    .slice(0, MAX_BODY_LINES)
    .join('\n');
  return body === '' ? `${subject}\n` : `${subject}\n\n${body}\n`;
}

/** Appends Hephaestus's trailers as the last paragraph: `Token: value` lines, values on one line. */
export function appendTrailers(message: string, trailers: ReadonlyArray<readonly [token: string, value: string]>): string {
  if (trailers.length === 0) return message;
  const lines = trailers.map(([token, value]) => `${token}: ${stripControlCharacters(value).replace(/\s+/g, ' ').trim()}`);
  return `${message.trimEnd()}\n\n${lines.join('\n')}\n`;
}
