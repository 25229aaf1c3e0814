// How one context file appears in the Architect prompt: its full text in a fence, or, for a large
// neighbour, an outline from the scan (summary, exports unless the manifest already lists them,
// functions with their lines, imports). Selection measures files with these same renderings, so
// the budget counts exactly what is sent.
import { renderSymbol } from '../manifest/render-manifest.js';
import type { ScannedFile } from '../scanner/scan-types.js';

/** named: the objective names it; imported: a named file imports it; importer: it imports a named file; example: an existing test shown for its style. */
export type ContextReason = 'named' | 'imported' | 'importer' | 'example';

export interface ContextFile {
  path: string;
  reason: ContextReason;
  /** `full`: the file's text; `outline`: what the scan knows of it, the text left out. */
  form: 'full' | 'outline';
  /** The full text, or the outline. */
  content: string;
  tokens: number;
}

const REASON_LABEL: Record<ContextReason, string> = {
  named: 'named by the objective',
  imported: 'imported by a named file',
  importer: 'imports a named file',
  example: "an existing test, as an example of the repository's test style",
};

const MEMBERS_PER_SYMBOL = 15;
const FUNCTIONS_LISTED = 40;

export function renderContextFile(file: Pick<ContextFile, 'path' | 'reason' | 'form' | 'content'>): string {
  if (file.form === 'outline') return `### ${file.path} (${REASON_LABEL[file.reason]}; outline only, its text is left out: do not copy blocks from it)\n${file.content}`;
  // The fence must be longer than any backtick run inside the file.
  const longestRun = Math.max(0, ...[...file.content.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const body = file.content.endsWith('\n') ? file.content : `${file.content}\n`;
  return `### ${file.path} (${REASON_LABEL[file.reason]})\n${fence}\n${body}${fence}`;
}

export function renderMissingFile(file: string): string {
  return `### ${file} (does not exist yet)`;
}

/**
 * The outline of a large file. Its exports are left out when `manifest` (as the prompt shows it)
 * already has the file's skeleton section, so no block is sent twice.
 */
export function outlineOf(file: ScannedFile, characters: number, manifest: string): string {
  const lines = [`${file.lines} lines, ${characters} characters.`];
  if (file.summary !== undefined) lines.push(`Purpose: ${file.summary}`);
  if (file.symbols.length > 0) {
    if (manifest.includes(`\n### ${file.path}\n`)) lines.push('Exports: as listed for it in the manifest above.');
    else lines.push('Exports:', ...file.symbols.flatMap((symbol) => renderSymbol(symbol, MEMBERS_PER_SYMBOL)));
  }
  const functions = file.functions.filter((entry) => entry.name !== '<anonymous>');
  if (functions.length > 0) {
    const listed = functions.slice(0, FUNCTIONS_LISTED).map((entry) => `${entry.name} (line ${entry.line}, ${entry.length} lines)`);
    const more = functions.length > FUNCTIONS_LISTED ? `, … ${functions.length - FUNCTIONS_LISTED} more` : '';
    lines.push(`Functions: ${listed.join(', ')}${more}`);
  }
  if (file.imports.length > 0) lines.push(`Imports: ${file.imports.join(', ')}`);
  return lines.join('\n');
}
