// What the terminal says when a signal arrives: a sentence saying what happens next.
export function signalSentence(signal: NodeJS.Signals): string {
  const what = signal === 'SIGINT' ? 'Ctrl-C (SIGINT)' : signal === 'SIGTERM' ? 'a termination request (SIGTERM)' : signal;
  return `Received ${what}: stopping the current step, then releasing the sandbox and flushing memory. Press Ctrl-C again to quit at once.`;
}
