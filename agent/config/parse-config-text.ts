// Parses the text of hephaestus.config.json as JSONC, the dialect editors use for config
// files: comments and trailing commas are allowed; any other problem is a ConfigError naming
// the line and column of the first one.
import { parse, type ParseError, type ParseErrorCode } from 'jsonc-parser';
import { ConfigError } from '../core/errors.js';

const PROBLEMS: Record<ParseErrorCode, string> = {
  1: 'invalid symbol',
  2: 'invalid number format',
  3: 'expected a property name in double quotes',
  4: 'expected a value',
  5: 'expected ":" after the property name',
  6: 'expected a comma',
  7: 'expected "}" to close the object',
  8: 'expected "]" to close the array',
  9: 'unexpected end of file',
  10: 'unterminated comment',
  11: 'unexpected end of string',
  12: 'unexpected end of number',
  13: 'invalid unicode escape',
  14: 'invalid escape character',
  15: 'invalid character',
  16: 'property keys must be in double quotes',
};

export function parseConfigText(text: string, file: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return value;
  const before = text.replace(/^\uFEFF/, '').slice(0, first.offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  throw new ConfigError(`${file}: not valid JSON at line ${line}, column ${column}: ${PROBLEMS[first.error] ?? 'syntax error'}. Comments and trailing commas are fine; check the text there.`, {
    details: { file, line, column },
  });
}
