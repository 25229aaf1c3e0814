// Whether output to a stream gets ANSI colour: NO_COLOR (any value) turns it off, FORCE_COLOR
// (other than 0) on; otherwise a terminal that is not "dumb" gets colour (no-color.org).
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}
