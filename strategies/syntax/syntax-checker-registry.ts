// Syntax checkers by file extension: built-in parsers, and per-extension commands from config,
// which take precedence for their extension.
import { DEFAULT_JAIL, type JailSettings } from '../commands/jail-settings.js';
import { createCommandChecker } from './command-checker.js';
import { createJsonChecker } from './json-checker.js';
import type { SyntaxChecker } from './syntax-checker.js';
import { createTypeScriptChecker, TYPESCRIPT_EXTENSIONS } from './typescript-checker.js';
import { createYamlChecker } from './yaml-checker.js';

export interface SyntaxCheckerRegistryOptions {
  /** Extension (".py") → command with a {file} placeholder; from validation.syntax.commands. */
  commands: Readonly<Record<string, string | readonly string[]>>;
  timeoutMs: number;
  /** Where the commands run: the configured jail hiding the user's repository (default: DEFAULT_JAIL). */
  jail?: JailSettings;
}

/** Built-in checker factories by lowercase extension. */
export const BUILT_IN_SYNTAX_CHECKERS: ReadonlyMap<string, () => SyntaxChecker> = new Map<string, () => SyntaxChecker>([
  ...TYPESCRIPT_EXTENSIONS.map((extension) => [extension, createTypeScriptChecker] as const),
  ['.json', createJsonChecker],
  ['.jsonc', createJsonChecker],
  ['.yaml', createYamlChecker],
  ['.yml', createYamlChecker],
]);

export function createSyntaxCheckerRegistry(options: SyntaxCheckerRegistryOptions): Map<string, SyntaxChecker> {
  const registry = new Map<string, SyntaxChecker>();
  for (const [extension, create] of BUILT_IN_SYNTAX_CHECKERS) registry.set(extension, create());
  for (const [extension, command] of Object.entries(options.commands)) {
    registry.set(extension.toLowerCase(), createCommandChecker({ command, timeoutMs: options.timeoutMs, jail: options.jail ?? DEFAULT_JAIL }));
  }
  return registry;
}

/** The lowercase extension a registry is keyed by: ".ts" for "src/a.TS", "" for "Makefile". */
export function extensionOf(file: string): string {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}
