// "Organize imports" as a fix that is safe by construction: the language service merges the
// imports of one module and sorts the imported names, and the fix is kept only when no import
// declaration moves relative to the others (module evaluation order stays the same) and no
// name is added or removed.
import { ts } from 'ts-morph';
import { applyTextChanges } from './apply-text-changes.js';
import type { CodeFix } from './code-fix.js';
import { formatSettings } from './open-language-service.js';

export function organizeImportsFix(service: ts.LanguageService, source: ts.SourceFile, file: string, preferences: ts.UserPreferences): CodeFix | null {
  const before = importsOf(source);
  if (before.length < 2) return null;
  const edits = service.organizeImports({ type: 'file', fileName: source.fileName, mode: ts.OrganizeImportsMode.SortAndCombine, skipDestructiveCodeActions: true }, formatSettings(), preferences);
  const changes = edits.filter((edit) => edit.fileName === source.fileName).flatMap((edit) => edit.textChanges);
  if (changes.length === 0) return null;
  const after = applyTextChanges(source.text, changes);
  if (after.replace(/\s+/g, '') === source.text.replace(/\s+/g, '')) return null;

  const organized = importsOf(ts.createSourceFile(source.fileName, after, ts.ScriptTarget.Latest, true, scriptKindOf(file)));
  const modulesBefore = [...new Set(before.map((entry) => entry.module))];
  const modulesAfter = organized.map((entry) => entry.module);
  if (modulesAfter.join('\n') !== modulesBefore.join('\n')) return null;
  if (namesOf(organized) !== namesOf(before)) return null;

  const merged = modulesBefore.filter((module) => before.filter((entry) => entry.module === module).length > 1);
  const what = [
    ...(merged.length > 0 ? [`merge the imports from ${merged.map((module) => `'${module}'`).join(', ')}`] : []),
    ...(merged.length === 0 ? ['sort the imported names'] : []),
  ].join(' and ');
  return {
    kind: 'organize-imports',
    file,
    objective: `Organize the imports of ${file} (cleanup): ${what}; no import is added, removed or reordered`,
    rationale: 'The TypeScript language service organizes these imports; the modules still load in the same order.',
    before: source.text,
    after,
    position: before[0]!.start,
  };
}

interface ImportEntry {
  module: string;
  start: number;
  /** Imported bindings, e.g. "type X", "default y", "* as z", "a as b". */
  names: string[];
}

function importsOf(source: ts.SourceFile): ImportEntry[] {
  return source.statements.filter(ts.isImportDeclaration).map((declaration) => {
    const clause = declaration.importClause;
    const typeOnly = clause?.isTypeOnly ? 'type ' : '';
    const names: string[] = [];
    if (clause?.name) names.push(`${typeOnly}default ${clause.name.text}`);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push(`${typeOnly}* as ${bindings.name.text}`);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) names.push(`${typeOnly || (element.isTypeOnly ? 'type ' : '')}${element.propertyName ? `${element.propertyName.getText(source)} as ` : ''}${element.name.text}`);
    }
    return { module: (declaration.moduleSpecifier as ts.StringLiteral).text, start: declaration.getStart(source), names };
  });
}

function namesOf(entries: readonly ImportEntry[]): string {
  return entries
    .flatMap((entry) => entry.names.map((name) => `${entry.module}:${name}`))
    .sort()
    .join('\n');
}

function scriptKindOf(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}
