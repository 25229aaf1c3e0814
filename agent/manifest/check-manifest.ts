// `hephaestus manifest --check`: compares the manifest on disk with a fresh rendering and says,
// in a few lines, how they differ.
import { diffLines } from 'diff';
import { readManifest, type WriteManifestOptions } from './manifest-file.js';

export interface ManifestCheck {
  upToDate: boolean;
  /** One or two lines for the user; empty when up to date. */
  summary: string;
}

const MAX_SHOWN = 100;

export async function checkManifest(root: string, expected: string, options: WriteManifestOptions = {}): Promise<ManifestCheck> {
  const name = options.path ?? 'AGENTS.md';
  const actual = await readManifest(root, options);
  if (actual === expected) return { upToDate: true, summary: '' };
  if (actual === null) return { upToDate: false, summary: `${name} does not exist. Run "hephaestus manifest" to create it.` };
  return { upToDate: false, summary: `${name} is stale: ${describeDifference(actual, expected)}. Run "hephaestus manifest" to regenerate it.` };
}

/** "+3 −1 lines; first difference at line 12: expected "…", found "…"". */
export function describeDifference(actual: string, expected: string): string {
  let added = 0;
  let removed = 0;
  for (const change of diffLines(actual, expected)) {
    if (change.added) added += change.count ?? 0;
    if (change.removed) removed += change.count ?? 0;
  }
  const actualLines = actual.split('\n');
  const expectedLines = expected.split('\n');
  let line = 0;
  while (line < actualLines.length && actualLines[line] === expectedLines[line]) line++;
  const shorten = (text: string | undefined) => (text === undefined ? 'end of file' : JSON.stringify(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text));
  return `${added} line${added === 1 ? '' : 's'} to add, ${removed} to remove; first difference at line ${line + 1}: expected ${shorten(expectedLines[line])}, found ${shorten(actualLines[line])}`;
}
