// YAML with the yaml package, every document of a multi-document stream.
import { parseAllDocuments } from 'yaml';
import { withoutBom, type SyntaxChecker } from './syntax-checker.js';

export function createYamlChecker(): SyntaxChecker {
  return {
    name: 'yaml',
    async check(file) {
      const parsed = parseAllDocuments(withoutBom(file.content));
      const documents = Array.isArray(parsed) ? parsed : [parsed];
      return documents.flatMap((document) =>
        document.errors.map((error) => {
          const position = error.linePos?.[0];
          return {
            file: file.path,
            ...(position ? { line: position.line, column: position.col } : {}),
            // The yaml message repeats the source lines after the first line; keep the first.
            message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:$/, ''),
          };
        }),
      );
    },
  };
}
