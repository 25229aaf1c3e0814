// The API skeleton of a CommonJS module: what `module.exports = …`, `module.exports.x = …` and
// `exports.x = …` at the top level export, and the properties later assigned to an exported
// function or object (`picomatch.test = …` after `module.exports = picomatch`).
import { ts } from 'ts-morph';
import type { CodeSymbol, SymbolKind } from './scan-types.js';
import { collapse, docOf, headerOf, lineOf } from './source-text.js';

const MAX_VALUE = 120;

/** A top-level function, class or variable, with its statement (the tree has no parent links). */
type Declaration = ts.FunctionDeclaration | ts.ClassDeclaration | { variable: ts.VariableDeclaration; statement: ts.VariableStatement };

interface Assignment {
  statement: ts.ExpressionStatement;
  target: ts.Expression;
  value: ts.Expression;
}

export function commonJsExports(sourceFile: ts.SourceFile): CodeSymbol[] {
  const assignments = sourceFile.statements.flatMap((statement) => assignmentOf(statement) ?? []);
  if (assignments.length === 0) return [];
  const declarations = topLevelDeclarations(sourceFile);
  // Names bound to `module.exports`: their own property assignments are exported members.
  const exportedObjects = new Map<string, CodeSymbol>();
  const symbols: CodeSymbol[] = [];
  for (const { statement, target, value } of assignments) {
    if (isModuleExports(target)) {
      symbols.push(...wholeExport(sourceFile, statement, value, declarations, exportedObjects));
      continue;
    }
    const exportedName = exportsPropertyName(target);
    if (exportedName !== undefined) symbols.push(valueSymbol(sourceFile, statement, exportedName, value));
  }
  for (const { statement, target, value } of assignments) {
    if (!ts.isPropertyAccessExpression(target) || !ts.isIdentifier(target.expression)) continue;
    const owner = exportedObjects.get(target.expression.text);
    if (owner === undefined) continue;
    (owner.members ??= []).push(valueSymbol(sourceFile, statement, target.name.text, value));
  }
  return symbols;
}

function assignmentOf(statement: ts.Statement): Assignment | undefined {
  if (!ts.isExpressionStatement(statement)) return undefined;
  const expression = statement.expression;
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  // `module.exports = exports = x` assigns x to both.
  let value = expression.right;
  while (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.EqualsToken) value = value.right;
  return { statement, target: expression.left, value };
}

function isModuleExports(node: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'module' && node.name.text === 'exports';
}

/** `x` of `exports.x` or `module.exports.x`. */
function exportsPropertyName(node: ts.Expression): string | undefined {
  if (!ts.isPropertyAccessExpression(node)) return undefined;
  const owner = node.expression;
  const isExports = (ts.isIdentifier(owner) && owner.text === 'exports') || isModuleExports(owner);
  return isExports ? node.name.text : undefined;
}

function wholeExport(sourceFile: ts.SourceFile, statement: ts.ExpressionStatement, value: ts.Expression, declarations: Map<string, Declaration>, exportedObjects: Map<string, CodeSymbol>): CodeSymbol[] {
  if (ts.isIdentifier(value)) {
    const declaration = declarations.get(value.text);
    const symbol = declaration ? declarationSymbol(sourceFile, declaration) : symbolAt(sourceFile, statement, value.text, 'variable', statementText(sourceFile, statement, MAX_VALUE));
    exportedObjects.set(value.text, symbol);
    return [symbol];
  }
  if (ts.isCallExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'require') {
    return [symbolAt(sourceFile, statement, '*', 're-export', statementText(sourceFile, statement))];
  }
  if (ts.isObjectLiteralExpression(value)) return value.properties.flatMap((property) => propertySymbol(sourceFile, property, declarations) ?? []);
  const name = (ts.isFunctionExpression(value) || ts.isClassExpression(value)) && value.name ? value.name.text : 'module.exports';
  return [valueSymbol(sourceFile, statement, name, value)];
}

/** One property of `module.exports = { … }`. */
function propertySymbol(sourceFile: ts.SourceFile, property: ts.ObjectLiteralElementLike, declarations: Map<string, Declaration>): CodeSymbol | undefined {
  if (ts.isShorthandPropertyAssignment(property)) {
    const declaration = declarations.get(property.name.text);
    return declaration ? declarationSymbol(sourceFile, declaration) : symbolAt(sourceFile, property, property.name.text, 'variable', property.name.text);
  }
  if (ts.isMethodDeclaration(property)) return symbolAt(sourceFile, property, property.name.getText(sourceFile), 'function', headerOf(sourceFile, property, property.body?.getStart(sourceFile)));
  if (!ts.isPropertyAssignment(property)) return undefined;
  const name = property.name.getText(sourceFile);
  const value = property.initializer;
  if (ts.isIdentifier(value) && declarations.has(value.text)) return { ...declarationSymbol(sourceFile, declarations.get(value.text)!), name };
  return symbolAt(sourceFile, property, name, isFunction(value) ? 'function' : 'variable', functionHeader(sourceFile, property, value) ?? collapse(property.getText(sourceFile), MAX_VALUE));
}

/** A symbol for `target = value`: the header up to the body for functions, else the text, cut. */
function valueSymbol(sourceFile: ts.SourceFile, statement: ts.ExpressionStatement, name: string, value: ts.Expression): CodeSymbol {
  const kind: SymbolKind = isFunction(value) ? 'function' : ts.isClassExpression(value) ? 'class' : 'variable';
  const signature = functionHeader(sourceFile, statement, value) ?? (ts.isClassExpression(value) ? headerOf(sourceFile, statement, value.members.pos) : statementText(sourceFile, statement, MAX_VALUE));
  return symbolAt(sourceFile, statement, name, kind, signature);
}

function declarationSymbol(sourceFile: ts.SourceFile, declaration: Declaration): CodeSymbol {
  if ('variable' in declaration) {
    const { variable, statement } = declaration;
    const flags = statement.declarationList.flags;
    const keyword = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'var';
    const value = variable.initializer;
    const header = value ? functionHeader(sourceFile, variable, value) : undefined;
    const kind: SymbolKind = value && isFunction(value) ? 'function' : value && ts.isClassExpression(value) ? 'class' : 'variable';
    const symbol = symbolAt(sourceFile, variable, variable.name.getText(sourceFile), kind, `${keyword} ${header ?? collapse(variable.getText(sourceFile), MAX_VALUE)}`);
    return withDoc(sourceFile, statement, symbol);
  }
  const name = declaration.name?.getText(sourceFile) ?? 'default';
  if (ts.isFunctionDeclaration(declaration)) return symbolAt(sourceFile, declaration, name, 'function', headerOf(sourceFile, declaration, declaration.body?.getStart(sourceFile)));
  return symbolAt(sourceFile, declaration, name, 'class', headerOf(sourceFile, declaration, declaration.members.pos));
}

/** `start … (params) =>` or `start … function (params)`, without the body; undefined for non-functions. */
function functionHeader(sourceFile: ts.SourceFile, start: ts.Node, value: ts.Expression): string | undefined {
  if (ts.isArrowFunction(value)) return `${headerOf(sourceFile, start, value.equalsGreaterThanToken.getStart(sourceFile))} =>`;
  if (ts.isFunctionExpression(value)) return headerOf(sourceFile, start, value.body.getStart(sourceFile));
  return undefined;
}

function statementText(sourceFile: ts.SourceFile, statement: ts.Statement, maxLength?: number): string {
  return collapse(statement.getText(sourceFile).replace(/;$/, ''), maxLength);
}

function isFunction(node: ts.Expression): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

function topLevelDeclarations(sourceFile: ts.SourceFile): Map<string, Declaration> {
  const declarations = new Map<string, Declaration>();
  for (const statement of sourceFile.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) declarations.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement)) {
      for (const variable of statement.declarationList.declarations) if (ts.isIdentifier(variable.name)) declarations.set(variable.name.text, { variable, statement });
    }
  }
  return declarations;
}

function symbolAt(sourceFile: ts.SourceFile, node: ts.Node, name: string, kind: SymbolKind, signature: string): CodeSymbol {
  return withDoc(sourceFile, node, { name, kind, signature, line: lineOf(sourceFile, node.getStart(sourceFile)) });
}

function withDoc(sourceFile: ts.SourceFile, node: ts.Node, symbol: CodeSymbol): CodeSymbol {
  if (symbol.doc !== undefined) return symbol;
  const doc = docOf(sourceFile, node);
  return doc === undefined ? symbol : { ...symbol, doc };
}
