// Output channels of the CLI: commands print through these, never with console.log directly,
// so tests and the error boundary control where text goes.
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CommandIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};
