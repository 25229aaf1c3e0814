// How much of one recorded LLM request repeats the one before it: the text a provider sees in
// order (system, then each message), and the share of it that is a byte-identical prefix of
// the next request's, which is what providers' prompt caches can reuse.
import type { RecordedRequest } from './fake-llm-server.js';

/** System text then every message's text, in wire order (the OpenAI system message counted once). */
export function promptTextOf(request: RecordedRequest): string {
  const messages: Array<{ role: string; content: unknown }> = Array.isArray(request.body?.messages) ? request.body.messages : [];
  const conversation = messages.filter((message) => message.role !== 'system').map((message) => textOf(message.content));
  return [request.system, ...conversation].join('\n');
}

/** Length of the common prefix, in bytes of UTF-8. */
export function sharedPrefixBytes(left: string, right: string): number {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  const length = Math.min(a.length, b.length);
  let index = 0;
  while (index < length && a[index] === b[index]) index++;
  return index;
}

/** The common prefix as a share of the shorter prompt (0 to 1). */
export function sharedPrefixShare(left: string, right: string): number {
  const shorter = Math.min(Buffer.byteLength(left, 'utf8'), Buffer.byteLength(right, 'utf8'));
  return shorter === 0 ? 0 : sharedPrefixBytes(left, right) / shorter;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('');
  return '';
}
