// The fixes the offline engine can make, read off the TypeScript language service: its
// diagnostics and suggestions, answered by its own code fixes, kept only when the fix is safe
// by construction (or, like a missing `await`, repairs a real defect the tests can judge).
import { ts } from 'ts-morph';
import { throwIfAborted } from '../core/abort.js';
import { applyTextChanges } from './apply-text-changes.js';
import { formatSettings, type WorkspaceService } from './open-language-service.js';
import { FIX_KINDS, type CodeFix, type FixKind } from './code-fix.js';
import { organizeImportsFix } from './organize-imports-fix.js';

const UNUSED_CODES = new Set([6133, 6192, 6196, 6198, 6199, 6205]);
const AWAIT_IN_SYNC_FUNCTION = 1308;
const UNUSED_LABEL = 7028;
const CANNOT_FIND_NAME = new Set([2304, 2552]);

export function findCodeFixes(workspace: WorkspaceService, signal?: AbortSignal): CodeFix[] {
  const { service, program, files, preferences } = workspace;
  const fixes: CodeFix[] = [];
  for (const [fileName, file] of [...files].sort((left, right) => left[1].localeCompare(right[1]))) {
    throwIfAborted(signal);
    const source = program.getSourceFile(fileName);
    // Line breaks other than LF and byte-order marks would shift offsets against patch text.
    if (!source || source.text.includes('\r') || source.text.startsWith('\uFEFF')) continue;
    if (service.getSyntacticDiagnostics(fileName).length > 0) continue;
    const finder = new FileFixFinder(service, source, file, preferences);
    for (const diagnostic of [...service.getSemanticDiagnostics(fileName), ...service.getSuggestionDiagnostics(fileName)]) {
      const fix = finder.fixFor(diagnostic);
      if (fix) fixes.push(fix);
    }
    const organized = organizeImportsFix(service, source, file, preferences);
    if (organized) fixes.push(organized);
  }
  return unique(fixes).sort((left, right) => FIX_KINDS.indexOf(left.kind) - FIX_KINDS.indexOf(right.kind) || left.file.localeCompare(right.file) || left.position - right.position);
}

class FileFixFinder {
  constructor(
    private readonly service: ts.LanguageService,
    private readonly source: ts.SourceFile,
    private readonly file: string,
    private readonly preferences: ts.UserPreferences,
  ) {}

  fixFor(diagnostic: ts.Diagnostic): CodeFix | null {
    if (diagnostic.start === undefined || diagnostic.length === undefined) return null;
    const code = diagnostic.code;
    if (UNUSED_CODES.has(code)) return this.unused(diagnostic);
    if (code === AWAIT_IN_SYNC_FUNCTION) return this.asyncFunction(diagnostic);
    if (code === UNUSED_LABEL) return this.unusedLabel(diagnostic);
    if (CANNOT_FIND_NAME.has(code)) return this.missingImport(diagnostic);
    if (diagnostic.category === ts.DiagnosticCategory.Error && mentionsPromise(diagnostic)) return this.missingAwait(diagnostic);
    return null;
  }

  private codeFixes(diagnostic: ts.Diagnostic): readonly ts.CodeFixAction[] {
    const start = diagnostic.start!;
    return this.service.getCodeFixesAtPosition(this.source.fileName, start, start + diagnostic.length!, [diagnostic.code], formatSettings(), this.preferences);
  }

  /** The file's text with the fix applied; null when it touches another file or creates one. */
  private applied(fix: ts.CodeFixAction): string | null {
    if (fix.commands?.length) return null;
    const changes = fix.changes;
    if (changes.length !== 1 || changes[0]!.isNewFile || changes[0]!.fileName !== this.source.fileName) return null;
    const after = applyTextChanges(this.source.text, changes[0]!.textChanges);
    return after === this.source.text ? null : after;
  }

  private make(kind: FixKind, fix: ts.CodeFixAction, diagnostic: ts.Diagnostic, objective: string, rationale: string): CodeFix | null {
    const after = this.applied(fix);
    if (after === null) return null;
    return { kind, file: this.file, objective, rationale, before: this.source.text, after, position: diagnostic.start! };
  }

  private unused(diagnostic: ts.Diagnostic): CodeFix | null {
    const fix = this.codeFixes(diagnostic).find((action) => action.fixName === 'unusedIdentifier' && /^(Remove|Delete) /.test(action.description));
    if (!fix) return null;
    const node = nodeAt(this.source, diagnostic.start!);
    const message = messageOf(diagnostic);
    const reported = /^'([^']+)'/.exec(message)?.[1];

    const importDeclaration = ancestor(node, ts.isImportDeclaration);
    if (importDeclaration) {
      const names = reported ? [reported] : importedNames(importDeclaration);
      const module = (importDeclaration.moduleSpecifier as ts.StringLiteral).text;
      const what = names.length === 1 ? `unused import ${code(names[0]!)}` : `unused imports ${names.map(code).join(', ')}`;
      return this.make('unused-import', fix, diagnostic, `Remove ${what} from ${this.file} (cleanup)`, `${message} It is imported from '${module}'; removing it leaves the behaviour unchanged unless something relies on that module's side effects.`);
    }

    const declarations = this.unusedVariables(node, diagnostic);
    if (declarations) {
      if (!declarations.every((declaration) => declaration.initializer === undefined || isPure(declaration.initializer))) return null;
      const names = declarations.map((declaration) => (declaration.name as ts.Identifier).text);
      const where = containerName(declarations[0]!);
      const what = names.length === 1 ? `unused variable ${code(names[0]!)}` : `unused variables ${names.map(code).join(', ')}`;
      return this.make('unused-declaration', fix, diagnostic, `Remove ${what} from ${this.file} (${where ? `in ${code(where)}, ` : ''}cleanup)`, `${message} Its initializer has no side effects, so removing it changes nothing else.`);
    }

    const fn = node.parent && ts.isFunctionDeclaration(node.parent) && node.parent.name === node ? node.parent : null;
    if (fn?.body && !hasModifier(fn, ts.SyntaxKind.ExportKeyword) && fn.name) {
      return this.make('unused-declaration', fix, diagnostic, `Remove unused function ${code(fn.name.text)} from ${this.file} (cleanup)`, `${message} Nothing calls it.`);
    }
    return null;
  }

  /** The variable declarations a diagnostic reports, when they are plain names in a const/let/var statement. */
  private unusedVariables(node: ts.Node, diagnostic: ts.Diagnostic): ts.VariableDeclaration[] | null {
    let declarations: ts.VariableDeclaration[];
    if (diagnostic.code === 6199) {
      const list = ancestor(node, ts.isVariableDeclarationList);
      if (!list) return null;
      declarations = [...list.declarations];
    } else {
      const declaration = node.parent && ts.isVariableDeclaration(node.parent) && node.parent.name === node ? node.parent : null;
      if (!declaration) return null;
      declarations = [declaration];
    }
    const statement = declarations[0]!.parent.parent;
    if (!ts.isVariableStatement(statement) || hasModifier(statement, ts.SyntaxKind.ExportKeyword)) return null;
    return declarations.every((declaration) => ts.isIdentifier(declaration.name)) ? declarations : null;
  }

  private missingAwait(diagnostic: ts.Diagnostic): CodeFix | null {
    const fixes = this.codeFixes(diagnostic);
    const fix = fixes.find((action) => action.fixName === 'addMissingAwaitToInitializer') ?? fixes.find((action) => action.fixName === 'addMissingAwait');
    const change = fix?.changes[0]?.textChanges[0];
    if (!fix || !change) return null;
    // Only where `await` is allowed already; a sync function is made async by its own fix first.
    const fn = ancestor(nodeAt(this.source, change.span.start), ts.isFunctionLike);
    if (!fn || !hasModifier(fn, ts.SyntaxKind.AsyncKeyword)) return null;
    const awaited = oneLine(this.source.text.slice(change.span.start, change.span.start + change.span.length), 60).replace(/^\((.*)\)$/, '$1');
    const where = functionName(fn);
    return this.make(
      'missing-await',
      fix,
      diagnostic,
      `Fix the missing \`await\` on ${code(awaited)}${where ? ` in ${code(where)}` : ''} (${this.file})`,
      `${messageOf(diagnostic)} The promise is used as if it were its value.`,
    );
  }

  private asyncFunction(diagnostic: ts.Diagnostic): CodeFix | null {
    const fix = this.codeFixes(diagnostic).find((action) => action.fixName === 'fixAwaitInSyncFunction');
    const change = fix?.changes[0]?.textChanges[0];
    if (!fix || !change) return null;
    const fn = ancestor(nodeAt(this.source, diagnostic.start!), ts.isFunctionLike);
    const name = fn ? functionName(fn) : null;
    const what = name ? code(name) : `the function at line ${this.source.getLineAndCharacterOfPosition(change.span.start).line + 1}`;
    return this.make('async-function', fix, diagnostic, `Fix ${what} in ${this.file}: make it async, since it uses \`await\``, `${messageOf(diagnostic)} Without \`async\` the module does not even load.`);
  }

  private missingImport(diagnostic: ts.Diagnostic): CodeFix | null {
    const imports = this.codeFixes(diagnostic).filter((action) => action.fixName === 'import');
    // Only an unambiguous import: one candidate module.
    if (imports.length !== 1) return null;
    const fix = imports[0]!;
    const name = /'([^']+)'/.exec(messageOf(diagnostic))?.[1];
    const module = /from ["']([^"']+)["']/.exec(fix.description)?.[1];
    if (!name || !module) return null;
    return this.make('missing-import', fix, diagnostic, `Fix the missing import of ${code(name)} from '${module}' in ${this.file}`, `${messageOf(diagnostic)} ${module} exports it.`);
  }

  private unusedLabel(diagnostic: ts.Diagnostic): CodeFix | null {
    const fix = this.codeFixes(diagnostic).find((action) => action.fixName === 'fixUnusedLabel');
    if (!fix) return null;
    const label = ancestor(nodeAt(this.source, diagnostic.start!), ts.isLabeledStatement);
    if (!label) return null;
    return this.make('unused-label', fix, diagnostic, `Remove unused label ${code(label.label.text)} from ${this.file} (cleanup)`, messageOf(diagnostic));
  }
}

/** The innermost node whose text covers `position`. */
function nodeAt(source: ts.SourceFile, position: number): ts.Node {
  let node: ts.Node = source;
  for (;;) {
    const child = node.getChildren(source).find((candidate) => candidate.getStart(source) <= position && position < candidate.getEnd());
    if (!child) return node;
    node = child;
  }
}

function ancestor<T extends ts.Node>(node: ts.Node, test: (node: ts.Node) => node is T): T | null {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (test(current)) return current;
  }
  return null;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind);
}

/**
 * Whether evaluating an expression cannot have side effects: nothing in it calls (a call, `new`,
 * a tagged template, JSX, a spread that iterates, a decorator), assigns (`=`, `+=`, `++`, `--`,
 * `delete`) or suspends (`await`, `yield`). Function bodies and default values run later, not
 * here, so they do not count; property reads count as pure (a getter with side effects is the
 * rare case, and the tests judge the change).
 */
function isPure(expression: ts.Expression): boolean {
  let pure = true;
  const visit = (node: ts.Node): void => {
    if (!pure) return;
    if (hasEffect(node)) {
      pure = false;
      return;
    }
    if (ts.isFunctionLike(node)) {
      // Only what is evaluated when the function is created: a computed name, decorators.
      const name = (node as { name?: ts.Node }).name;
      if (name && ts.isComputedPropertyName(name)) visit(name);
      if (ts.canHaveDecorators(node)) ts.getDecorators(node)?.forEach(visit);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return pure;
}

const EFFECT_KINDS = new Set([
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.NewExpression,
  ts.SyntaxKind.TaggedTemplateExpression,
  ts.SyntaxKind.AwaitExpression,
  ts.SyntaxKind.YieldExpression,
  ts.SyntaxKind.DeleteExpression,
  ts.SyntaxKind.SpreadElement,
  ts.SyntaxKind.SpreadAssignment,
  ts.SyntaxKind.Decorator,
  ts.SyntaxKind.ClassStaticBlockDeclaration,
  ts.SyntaxKind.JsxElement,
  ts.SyntaxKind.JsxSelfClosingElement,
  ts.SyntaxKind.JsxFragment,
]);

function hasEffect(node: ts.Node): boolean {
  if (EFFECT_KINDS.has(node.kind)) return true;
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) return node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken;
  if (ts.isBinaryExpression(node)) return node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  return false;
}

function importedNames(declaration: ts.ImportDeclaration): string[] {
  const clause = declaration.importClause;
  if (!clause) return [];
  const names = clause.name ? [clause.name.text] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(`* as ${bindings.name.text}`);
  if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((element) => element.name.text));
  return names;
}

/** The name of the function a declaration sits in, or null at module level. */
function containerName(node: ts.Node): string | null {
  const fn = ancestor(node.parent, ts.isFunctionLike);
  return fn ? functionName(fn) : null;
}

function functionName(fn: ts.SignatureDeclaration): string | null {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return null;
}

function mentionsPromise(diagnostic: ts.Diagnostic): boolean {
  return messageOf(diagnostic).includes('Promise') || (diagnostic.relatedInformation ?? []).some((related) => /await/.test(ts.flattenDiagnosticMessageText(related.messageText, ' ')));
}

function messageOf(diagnostic: ts.Diagnostic): string {
  return oneLine(ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
}

/** Collapses whitespace; cuts to `limit` characters when given. */
function oneLine(text: string, limit?: number): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return limit !== undefined && single.length > limit ? `${single.slice(0, limit - 1)}…` : single;
}

function code(text: string): string {
  return `\`${text}\``;
}

/** One fix per objective text: several diagnostics often lead to the same change. */
function unique(fixes: readonly CodeFix[]): CodeFix[] {
  const seen = new Set<string>();
  return fixes.filter((fix) => {
    if (seen.has(fix.objective)) return false;
    seen.add(fix.objective);
    return true;
  });
}
