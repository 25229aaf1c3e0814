// The API skeleton of a TS/JS module: its exported declarations with their signatures, the
// public members of exported classes and interfaces, and the first line of each doc comment;
// CommonJS exports (commonjs-exports.ts) for modules that assign `module.exports`.
import { ts } from 'ts-morph';
import { commonJsExports } from './commonjs-exports.js';
import type { CodeSymbol, SymbolKind } from './scan-types.js';
import { collapse, docOf, headerOf, lineOf } from './source-text.js';

export function exportedSymbols(sourceFile: ts.SourceFile): CodeSymbol[] {
  const symbols: CodeSymbol[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
      symbols.push(symbolOf(sourceFile, statement, ts.isExportAssignment(statement) ? 'default' : '*', 're-export', collapse(statement.getText(sourceFile))));
      continue;
    }
    if (!hasModifier(statement, ts.SyntaxKind.ExportKeyword)) continue;
    symbols.push(...declarationSymbols(sourceFile, statement));
  }
  symbols.push(...commonJsExports(sourceFile));
  return symbols;
}

function declarationSymbols(sourceFile: ts.SourceFile, statement: ts.Statement): CodeSymbol[] {
  const nameOf = (node: { name?: ts.Node | undefined }) => (node.name ? node.name.getText(sourceFile) : 'default');
  if (ts.isFunctionDeclaration(statement)) {
    return [symbolOf(sourceFile, statement, nameOf(statement), 'function', headerOf(sourceFile, statement, statement.body?.getStart(sourceFile)))];
  }
  if (ts.isClassDeclaration(statement)) {
    const symbol = symbolOf(sourceFile, statement, nameOf(statement), 'class', headerOf(sourceFile, statement, statement.members.pos));
    return [withMembers(symbol, classMembers(sourceFile, statement))];
  }
  if (ts.isInterfaceDeclaration(statement)) {
    const symbol = symbolOf(sourceFile, statement, nameOf(statement), 'interface', headerOf(sourceFile, statement, statement.members.pos));
    return [withMembers(symbol, interfaceMembers(sourceFile, statement))];
  }
  if (ts.isTypeAliasDeclaration(statement)) return [symbolOf(sourceFile, statement, nameOf(statement), 'type', headerOf(sourceFile, statement, undefined))];
  if (ts.isEnumDeclaration(statement)) return [symbolOf(sourceFile, statement, nameOf(statement), 'enum', headerOf(sourceFile, statement, statement.members.pos))];
  if (ts.isModuleDeclaration(statement)) return [symbolOf(sourceFile, statement, nameOf(statement), 'namespace', headerOf(sourceFile, statement, statement.body?.getStart(sourceFile)))];
  if (ts.isVariableStatement(statement)) {
    const keyword = statement.declarationList.flags & ts.NodeFlags.Const ? 'const' : statement.declarationList.flags & ts.NodeFlags.Let ? 'let' : 'var';
    return statement.declarationList.declarations.map((declaration) => {
      const symbol = symbolOf(sourceFile, declaration, declaration.name.getText(sourceFile), 'variable', `${keyword} ${variableSignature(sourceFile, declaration)}`);
      const doc = docOf(sourceFile, statement);
      return doc === undefined ? symbol : { ...symbol, doc };
    });
  }
  return [];
}

function variableSignature(sourceFile: ts.SourceFile, declaration: ts.VariableDeclaration): string {
  const initializer = declaration.initializer;
  if (initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))) {
    const bodyStart = ts.isArrowFunction(initializer) ? initializer.equalsGreaterThanToken.getStart(sourceFile) : initializer.body.getStart(sourceFile);
    const arrow = ts.isArrowFunction(initializer) ? ' =>' : '';
    return `${headerOf(sourceFile, declaration, bodyStart)}${arrow}`;
  }
  if (declaration.type || !initializer) return headerOf(sourceFile, declaration, initializer ? declaration.type?.end : undefined);
  return collapse(declaration.getText(sourceFile), 120);
}

function classMembers(sourceFile: ts.SourceFile, declaration: ts.ClassDeclaration): CodeSymbol[] {
  const members: CodeSymbol[] = [];
  for (const member of declaration.members) {
    if (hasModifier(member, ts.SyntaxKind.PrivateKeyword) || hasModifier(member, ts.SyntaxKind.ProtectedKeyword)) continue;
    if (member.name && ts.isPrivateIdentifier(member.name)) continue;
    const name = member.name ? member.name.getText(sourceFile) : 'constructor';
    if (ts.isMethodDeclaration(member)) members.push(symbolOf(sourceFile, member, name, 'method', headerOf(sourceFile, member, member.body?.getStart(sourceFile))));
    else if (ts.isConstructorDeclaration(member)) members.push(symbolOf(sourceFile, member, name, 'constructor', headerOf(sourceFile, member, member.body?.getStart(sourceFile))));
    else if (ts.isGetAccessorDeclaration(member) || ts.isSetAccessorDeclaration(member))
      members.push(symbolOf(sourceFile, member, name, 'accessor', headerOf(sourceFile, member, member.body?.getStart(sourceFile))));
    else if (ts.isPropertyDeclaration(member)) {
      // Without a type annotation the initializer is the only hint of what the property holds.
      const signature = member.type ? headerOf(sourceFile, member, member.initializer?.getStart(sourceFile)) : headerOf(sourceFile, member, undefined, 80);
      members.push(symbolOf(sourceFile, member, name, 'property', signature));
    }
  }
  return members;
}

function interfaceMembers(sourceFile: ts.SourceFile, declaration: ts.InterfaceDeclaration): CodeSymbol[] {
  return declaration.members.map((member) => {
    const kind: SymbolKind = ts.isMethodSignature(member) || ts.isCallSignatureDeclaration(member) ? 'method' : 'property';
    const name = member.name ? member.name.getText(sourceFile) : '()';
    return symbolOf(sourceFile, member, name, kind, headerOf(sourceFile, member, undefined));
  });
}

function symbolOf(sourceFile: ts.SourceFile, node: ts.Node, name: string, kind: SymbolKind, signature: string): CodeSymbol {
  const symbol: CodeSymbol = { name, kind, signature, line: lineOf(sourceFile, node.getStart(sourceFile)) };
  const doc = docOf(sourceFile, node);
  if (doc !== undefined) symbol.doc = doc;
  return symbol;
}

function withMembers(symbol: CodeSymbol, members: CodeSymbol[]): CodeSymbol {
  return members.length === 0 ? symbol : { ...symbol, members };
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((modifier) => modifier.kind === kind) ?? false);
}
