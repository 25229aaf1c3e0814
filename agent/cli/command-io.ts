// Output channels of the CLI: commands print through these, never with console.log directly,
// so tests and the error boundary control where text goes. A reader that goes away
// (`hephaestus log | head -1`) closes the channel: later output is dropped, not an EPIPE crash.
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

const closed = new Set<NodeJS.WriteStream>();

function writeLine(stream: NodeJS.WriteStream, text: string): void {
  if (closed.has(stream) || stream.destroyed) return;
  stream.write(`${text}\n`);
}

/** Treats EPIPE on stdout or stderr as the reader having left: the command ends quietly. */
export function closeOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed.add(stream);
  });
}

export const processIo: CommandIo = {
  out: (text) => writeLine(process.stdout, text),
  err: (text) => writeLine(process.stderr, text),
};
