// One walk over a TS/JS syntax tree collecting every function and method with its cyclomatic
// complexity and length, and every module specifier the file imports.
import { ts } from 'ts-morph';
import type { FunctionKind, FunctionMetric } from './scan-types.js';
import { lineOf } from './source-text.js';

export interface WalkResult {
  functions: FunctionMetric[];
  imports: string[];
}

const LOGICAL_OPERATORS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

const BRANCHES = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.ConditionalExpression,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.CaseClause,
  ts.SyntaxKind.CatchClause,
]);

/** Where a function sits: the class whose member it is and the name it is bound to. */
interface Naming {
  className?: string;
  boundName?: string;
}

export function walkFunctionsAndImports(sourceFile: ts.SourceFile): WalkResult {
  const functions: FunctionMetric[] = [];
  const imports = new Set<string>();

  const visit = (node: ts.Node, owner: FunctionMetric | null, naming: Naming): void => {
    collectImport(node, imports);
    if (owner !== null && isDecisionPoint(node)) owner.complexity++;

    if (isFunctionWithBody(node)) {
      const metric = functionMetric(sourceFile, node, naming);
      functions.push(metric);
      ts.forEachChild(node, (child) => visit(child, metric, {}));
      return;
    }
    ts.forEachChild(node, (child) => visit(child, owner, namingForChild(sourceFile, node, child, naming)));
  };
  visit(sourceFile, null, {});
  return { functions, imports: [...imports].sort() };
}

function namingForChild(sourceFile: ts.SourceFile, parent: ts.Node, child: ts.Node, naming: Naming): Naming {
  if (ts.isClassLike(parent)) return { className: parent.name?.getText(sourceFile) ?? naming.boundName ?? '<class>' };
  const isInitializer = (node: { initializer?: ts.Node | undefined }) => node.initializer === child;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && isInitializer(parent)) return { boundName: parent.name.getText(sourceFile) };
  if (ts.isPropertyDeclaration(parent) && isInitializer(parent)) return { ...naming, boundName: parent.name.getText(sourceFile) };
  return ts.isClassLike(child) || ts.isPropertyDeclaration(child) ? naming : {};
}

type FunctionWithBody = ts.FunctionLikeDeclaration & { body: ts.Node };

function isFunctionWithBody(node: ts.Node): node is FunctionWithBody {
  const isFunction =
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node);
  return isFunction && node.body !== undefined;
}

function functionMetric(sourceFile: ts.SourceFile, node: FunctionWithBody, naming: Naming): FunctionMetric {
  const start = lineOf(sourceFile, node.getStart(sourceFile));
  const end = lineOf(sourceFile, node.end);
  return { name: functionName(sourceFile, node, naming), kind: functionKind(node), line: start, length: end - start + 1, complexity: 1 };
}

function functionName(sourceFile: ts.SourceFile, node: FunctionWithBody, naming: Naming): string {
  const ownName = ts.isConstructorDeclaration(node) ? 'constructor' : node.name?.getText(sourceFile);
  const name = ownName ?? naming.boundName ?? '<anonymous>';
  return naming.className !== undefined ? `${naming.className}.${name}` : name;
}

function functionKind(node: FunctionWithBody): FunctionKind {
  if (ts.isMethodDeclaration(node)) return 'method';
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) return 'accessor';
  if (ts.isArrowFunction(node)) return 'arrow';
  if (ts.isFunctionExpression(node)) return 'expression';
  return 'function';
}

function isDecisionPoint(node: ts.Node): boolean {
  if (BRANCHES.has(node.kind)) return true;
  return ts.isBinaryExpression(node) && LOGICAL_OPERATORS.has(node.operatorToken.kind);
}

function collectImport(node: ts.Node, imports: Set<string>): void {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
    imports.add(node.moduleSpecifier.text);
  } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
    imports.add(node.moduleReference.expression.text);
  } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
    const [argument] = node.arguments;
    const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
    if ((isDynamicImport || isRequire) && argument !== undefined && ts.isStringLiteralLike(argument)) imports.add(argument.text);
  } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
    imports.add(node.argument.literal.text);
  }
}
