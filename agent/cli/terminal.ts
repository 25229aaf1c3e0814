// The CLI's stderr on a terminal: one status line (a spinner, redrawn in place and cut to the
// terminal's width so it never wraps) and whole lines written above it. Anything else that
// writes to the terminal (log lines, notices) goes through line(), which clears the status
// first and redraws it after, so the two never run together. Colour follows NO_COLOR and
// FORCE_COLOR, then whether the stream is a terminal.
import { Writable } from 'node:stream';
import cliTruncate from 'cli-truncate';
import { createLogUpdate } from 'log-update';
import picocolors from 'picocolors';
import { colorEnabled } from '../logging/color-enabled.js';

export type Colors = ReturnType<typeof picocolors.createColors>;

export interface Terminal {
  /** A terminal that can redraw a status line (a TTY). */
  readonly interactive: boolean;
  readonly colors: Colors;
  /** Shows or replaces the status line, cut to the terminal's width; ignored without a TTY. */
  status(text: string): void;
  clearStatus(): void;
  /** Writes one or more whole lines above the status line. */
  line(text: string): void;
  /** A stream for the logger's console output: every chunk goes through line(). */
  readonly logStream: Writable;
  /** Clears the status line for good. */
  stop(): void;
}

/** `text` on one line of at most `columns - 1` characters (the last column would wrap on some terminals). */
export function fitToWidth(text: string, columns: number | undefined): string {
  const single = text.replace(/\s*\n\s*/g, ' ');
  return cliTruncate(single, Math.max(10, (columns ?? 80) - 1), { position: 'end' });
}

export function createTerminal(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Terminal {
  const interactive = Boolean(stream.isTTY) && env.TERM !== 'dumb';
  const colors = picocolors.createColors(colorEnabled(stream, env));
  const update = interactive ? createLogUpdate(stream, { showCursor: true }) : null;
  let current = '';
  const draw = () => {
    if (update && current !== '') update(fitToWidth(current, stream.columns));
  };
  const onResize = () => draw();
  if (interactive) stream.on('resize', onResize);

  const terminal: Terminal = {
    interactive,
    colors,
    status(text) {
      current = text;
      draw();
    },
    clearStatus() {
      current = '';
      update?.clear();
    },
    line(text) {
      const body = text.replace(/\n+$/, '');
      if (update && current !== '') {
        // Not log-update's persist(): that hard-wraps; a whole line wraps softly, as it would anyway.
        update.clear();
        stream.write(`${body}\n`);
        draw();
      } else {
        stream.write(`${body}\n`);
      }
    },
    logStream: new Writable({
      write(chunk, _encoding, done) {
        terminal.line(String(chunk));
        done();
      },
    }),
    stop() {
      terminal.clearStatus();
      update?.done();
      if (interactive) stream.off('resize', onResize);
    },
  };
  return terminal;
}
