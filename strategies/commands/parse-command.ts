// Commands from config become argv without a shell: a string is split like a POSIX shell
// would split words (quotes and backslashes, no expansion), and `{files}` / `{file}` are
// substituted as separate argv entries so a path can never be read as shell syntax.
import { ConfigError } from '../../agent/core/errors.js';

export const FILES_PLACEHOLDER = '{files}';
export const FILE_PLACEHOLDER = '{file}';

/** Splits a configured command into argv. Throws ConfigError on an unterminated quote. */
export function parseCommand(command: string | readonly string[]): string[] {
  if (typeof command !== 'string') return [...command];
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let index = 0; index < command.length; index++) {
    const character = command[index]!;
    if (quote === "'") {
      if (character === "'") quote = null;
      else word += character;
    } else if (quote === '"') {
      if (character === '"') quote = null;
      else if (character === '\\' && index + 1 < command.length && '"\\$`'.includes(command[index + 1]!)) word += command[++index];
      else word += character;
    } else if (character === "'" || character === '"') {
      quote = character;
      inWord = true;
    } else if (character === '\\' && index + 1 < command.length) {
      word += command[++index];
      inWord = true;
    } else if (/\s/.test(character)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += character;
      inWord = true;
    }
  }
  if (quote !== null) throw new ConfigError(`command ${JSON.stringify(command)}: unterminated ${quote} quote; close it or give the command as an argv array.`);
  if (inWord) words.push(word);
  if (words.length === 0) throw new ConfigError(`command ${JSON.stringify(command)} is empty.`);
  return words;
}

export function hasPlaceholder(argv: readonly string[], placeholder: string): boolean {
  return argv.some((argument) => argument.includes(placeholder));
}

/**
 * A repository-relative path as a command argument that no tool can read as an option:
 * `./`-prefixed (`-x.test.js` becomes `./-x.test.js`). Every runner accepts the form.
 */
export function asPathArgument(file: string): string {
  return file.startsWith('/') || file.startsWith('./') || file.startsWith('../') ? file : `./${file}`;
}

/**
 * Replaces a `{files}` argument by one argument per file and `{file}` (also inside an
 * argument, as in `--input={file}`) by the file. `{files}` must be a whole argument. Files
 * standing as whole arguments are `./`-prefixed, so a file name never becomes an option.
 */
export function substitutePlaceholders(argv: readonly string[], values: { files?: readonly string[]; file?: string }): string[] {
  const result: string[] = [];
  for (const argument of argv) {
    if (argument === FILES_PLACEHOLDER && values.files) {
      result.push(...values.files.map(asPathArgument));
    } else if (argument.includes(FILES_PLACEHOLDER) && values.files) {
      throw new ConfigError(`command argument "${argument}": ${FILES_PLACEHOLDER} must stand alone as one argument.`);
    } else if (argument === FILE_PLACEHOLDER && values.file !== undefined) {
      result.push(asPathArgument(values.file));
    } else if (argument.includes(FILE_PLACEHOLDER) && values.file !== undefined) {
      result.push(argument.replaceAll(FILE_PLACEHOLDER, values.file));
    } else {
      result.push(argument);
    }
  }
  return result;
}
