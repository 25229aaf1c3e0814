// One walk over a Python syntax tree collecting every function and method with its cyclomatic
// complexity and length, and every module the file imports (with the packages the import also
// loads: `import a.b.c` runs a/__init__.py and a/b/__init__.py too); then its syntax errors.
import type { PythonNode, PythonTree } from './python-parser.js';
import type { FunctionMetric, SyntaxIssue } from './scan-types.js';

const MAX_SYNTAX_ISSUES = 5;

const DECISION_POINTS = new Set([
  'if_statement',
  'elif_clause',
  'for_statement',
  'while_statement',
  'except_clause',
  'conditional_expression',
  'boolean_operator',
  'for_in_clause',
  'if_clause',
  'case_clause',
]);

interface Scope {
  depth: number;
  /** The function whose body this is; decision points count for it. */
  metric: FunctionMetric | null;
  /** Set when this is a class body: its functions are methods. */
  className?: string;
}

export interface PythonWalkResult {
  functions: FunctionMetric[];
  imports: string[];
}

export function walkPythonFunctionsAndImports(tree: PythonTree): PythonWalkResult {
  const functions: FunctionMetric[] = [];
  const imports = new Set<string>();
  const scopes: Scope[] = [{ depth: -1, metric: null }];
  const cursor = tree.walk();
  let depth = 0;
  try {
    for (;;) {
      while (scopes.length > 1 && scopes.at(-1)!.depth >= depth) scopes.pop();
      const scope = scopes.at(-1)!;
      const type = cursor.nodeType;
      let descend = true;
      if (DECISION_POINTS.has(type) && scope.metric !== null) scope.metric.complexity++;
      if (type === 'function_definition') {
        const metric = functionMetric(cursor.currentNode, scope);
        functions.push(metric);
        scopes.push({ depth, metric });
      } else if (type === 'class_definition') {
        const name = cursor.currentNode.childForFieldName('name')?.text ?? '<class>';
        scopes.push({ depth, metric: scope.metric, className: scope.className === undefined ? name : `${scope.className}.${name}` });
      } else if (type === 'import_statement' || type === 'import_from_statement') {
        collectImports(cursor.currentNode, imports);
        descend = false;
      }
      if (descend && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return { functions, imports: [...imports].sort() };
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

function functionMetric(node: PythonNode, scope: Scope): FunctionMetric {
  const name = node.childForFieldName('name')?.text ?? '<anonymous>';
  const line = node.startPosition.row + 1;
  const length = node.endPosition.row - node.startPosition.row + 1;
  // Only a function directly in a class body is its method.
  if (scope.className === undefined) return { name, kind: 'function', line, length, complexity: 1 };
  return { name: `${scope.className}.${name}`, kind: name === '__init__' ? 'constructor' : 'method', line, length, complexity: 1 };
}

function collectImports(node: PythonNode, imports: Set<string>): void {
  const moduleName = (child: PythonNode) => (child.type === 'aliased_import' ? (child.childForFieldName('name')?.text ?? '') : child.text).replace(/\s+/g, '');
  if (node.type === 'import_statement') {
    for (const child of node.childrenForFieldName('name')) addWithPackages(moduleName(child), imports);
    return;
  }
  const from = node.childForFieldName('module_name');
  if (from === null) return;
  const base = from.text.replace(/\s+/g, '');
  addWithPackages(base, imports);
  // `from pkg import name` imports pkg.name when it is a submodule; the resolver finds out.
  for (const child of node.childrenForFieldName('name')) addWithPackages(base.endsWith('.') ? base + moduleName(child) : `${base}.${moduleName(child)}`, imports);
}

/** `..a.b` → `..a`, `..a.b`; `a.b` → `a`, `a.b`; `.` → `.`. */
function addWithPackages(dotted: string, imports: Set<string>): void {
  const dots = /^\.*/.exec(dotted)![0];
  const parts = dotted.slice(dots.length).split('.').filter((part) => part !== '');
  if (parts.length === 0) {
    if (dots !== '') imports.add(dots);
    return;
  }
  for (let count = 1; count <= parts.length; count++) imports.add(dots + parts.slice(0, count).join('.'));
}

/** Error and missing-token nodes, first few, in source order. */
export function pythonSyntaxIssues(tree: PythonTree): SyntaxIssue[] {
  const issues: SyntaxIssue[] = [];
  const visit = (node: PythonNode): void => {
    if (issues.length >= MAX_SYNTAX_ISSUES) return;
    if (node.isMissing || node.isError) {
      const { row, column } = node.startPosition;
      issues.push({ line: row + 1, column: column + 1, message: node.isMissing ? `missing ${node.type === '' ? 'token' : `"${node.type}"`}` : 'invalid syntax' });
      return;
    }
    for (const child of node.children) if (child.hasError) visit(child);
  };
  if (tree.rootNode.hasError) visit(tree.rootNode);
  return issues;
}
