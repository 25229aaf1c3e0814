// The last bytes of a command's combined output, kept for feedback to the Architect and
// for the evolution log. Bounded, so a chatty test suite cannot grow memory.

export const OUTPUT_TAIL_BYTES = 4096;

export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;

  constructor(private readonly limit: number = OUTPUT_TAIL_BYTES) {}

  push(chunk: Buffer | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.chunks.push(buffer);
    this.size += buffer.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.limit && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
      this.dropped = true;
    }
  }

  /** The tail as text, at most `limit` bytes of UTF-8. */
  text(): string {
    return tailOf(Buffer.concat(this.chunks, this.size).toString('utf8'), this.limit, this.dropped);
  }
}

/** The end of `text` within `limit` UTF-8 bytes, never starting inside a character. */
export function tailOf(text: string, limit: number = OUTPUT_TAIL_BYTES, alreadyCut = false): string {
  const bytes = Buffer.from(text);
  if (bytes.length <= limit && !alreadyCut) return text;
  let start = Math.max(0, bytes.length - limit);
  // Skip UTF-8 continuation bytes so the tail starts on a character boundary.
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  const tail = bytes.subarray(start).toString('utf8');
  // Start at a line boundary when one is near, so the first line is whole.
  const newline = tail.indexOf('\n');
  return newline >= 0 && newline < 200 && (start > 0 || alreadyCut) ? tail.slice(newline + 1) : tail;
}
