// The API skeleton of a Python module from its syntax tree: public top-level functions, classes
// (with public methods, properties and annotated attributes), assignments, type aliases, and the
// re-exports of a package's `__init__.py`; full signatures however many lines they span, and the
// first sentence of each docstring.
import type { PythonNode } from './python-parser.js';
import type { CodeSymbol, SymbolKind } from './scan-types.js';
import { collapse, firstCommentSentence } from './source-text.js';

const MAX_VALUE = 120;
const ACCESSOR_DECORATORS = /^(?:property|cached_property|functools\.cached_property|\w+\.(?:setter|getter|deleter))$/;
const SHOWN_DECORATORS = new Set(['staticmethod', 'classmethod', 'abstractmethod', 'abc.abstractmethod']);
/** `@overload` stubs: the implementation that follows them carries the signature shown. */
const OVERLOAD = /(?:^|\.)overload$/;
/** Module-level assignments shown: constants by naming convention; others are state or configuration. */
const CONSTANT_NAME = /^[A-Z][A-Z0-9_]*$/;

export function pythonSkeleton(module: PythonNode, isPackageInit: boolean): CodeSymbol[] {
  const symbols: CodeSymbol[] = [];
  for (const statement of module.namedChildren) {
    const { definition, decorators } = unwrapDecorators(statement);
    if (definition.type === 'function_definition') {
      const symbol = functionSymbol(definition, decorators, 'function');
      if (symbol) symbols.push(symbol);
    } else if (definition.type === 'class_definition') {
      const symbol = classSymbol(definition);
      if (symbol) symbols.push(symbol);
    } else if (definition.type === 'expression_statement') {
      const symbol = assignmentSymbol(definition, 'variable');
      if (symbol) symbols.push(symbol);
    } else if (definition.type === 'type_alias_statement') {
      const name = definition.childForFieldName('left')?.text.replace(/\[.*$/s, '');
      if (name !== undefined && isPublic(name)) symbols.push({ name, kind: 'type', signature: collapse(definition.text, MAX_VALUE), line: lineOf(definition) });
    } else if (isPackageInit && (definition.type === 'import_from_statement' || definition.type === 'import_statement')) {
      symbols.push({ name: '*', kind: 're-export', signature: collapse(definition.text), line: lineOf(definition) });
    }
  }
  return symbols;
}

/** The module docstring's first sentence: what the module is for. */
export function moduleDocstring(module: PythonNode): string | undefined {
  return docstringOf(module);
}

function classSymbol(node: PythonNode): CodeSymbol | undefined {
  const name = node.childForFieldName('name')?.text ?? '';
  if (!isPublic(name)) return undefined;
  const signature = collapse(`class ${name}${node.childForFieldName('type_parameters')?.text ?? ''}${node.childForFieldName('superclasses')?.text ?? ''}`);
  const symbol = withDoc({ name, kind: 'class', signature, line: lineOf(node) }, docstringOf(node.childForFieldName('body')));
  const members: CodeSymbol[] = [];
  for (const statement of node.childForFieldName('body')?.namedChildren ?? []) {
    const { definition, decorators } = unwrapDecorators(statement);
    const member =
      definition.type === 'function_definition' ? functionSymbol(definition, decorators, 'method') : definition.type === 'expression_statement' ? assignmentSymbol(definition, 'property') : undefined;
    if (member) members.push(member);
  }
  return members.length > 0 ? { ...symbol, members } : symbol;
}

function functionSymbol(node: PythonNode, decorators: string[], context: 'function' | 'method'): CodeSymbol | undefined {
  const name = node.childForFieldName('name')?.text ?? '';
  const isConstructor = context === 'method' && name === '__init__';
  if ((!isPublic(name) && !isConstructor) || decorators.some((decorator) => OVERLOAD.test(decorator))) return undefined;
  const isAccessor = context === 'method' && decorators.some((decorator) => ACCESSOR_DECORATORS.test(decorator));
  const kind: SymbolKind = isConstructor ? 'constructor' : isAccessor ? 'accessor' : context;
  const shown = decorators.filter((decorator) => SHOWN_DECORATORS.has(decorator) || ACCESSOR_DECORATORS.test(decorator)).map((decorator) => `@${decorator} `);
  const signature = `${shown.join('')}${functionHeader(node)}`;
  return withDoc({ name, kind, signature: collapse(signature), line: lineOf(node) }, docstringOf(node.childForFieldName('body')));
}

/** `async def name[T](parameters) -> type`, whitespace collapsed, no trailing comma before `)`. */
export function functionHeader(node: PythonNode): string {
  const isAsync = node.children.some((child) => child.type === 'async');
  const name = node.childForFieldName('name')?.text ?? '';
  const typeParameters = node.childForFieldName('type_parameters')?.text ?? '';
  const parameters = parameterList(node.childForFieldName('parameters'));
  const returnType = node.childForFieldName('return_type');
  return `${isAsync ? 'async ' : ''}def ${name}${typeParameters}${parameters}${returnType ? ` -> ${collapse(returnType.text)}` : ''}`;
}

/** `NAME = value` or `name: type = value` (a module constant, a public attribute); undefined for anything else. */
function assignmentSymbol(statement: PythonNode, kind: 'variable' | 'property'): CodeSymbol | undefined {
  const assignment = statement.firstNamedChild;
  if (assignment?.type !== 'assignment') return undefined;
  const left = assignment.childForFieldName('left');
  if (left?.type !== 'identifier' || !isPublic(left.text)) return undefined;
  const type = assignment.childForFieldName('type');
  if (kind === 'variable' && type === null && !CONSTANT_NAME.test(left.text)) return undefined;
  // Attributes show their declared type; module constants their value.
  const signature = kind === 'property' && type ? `${left.text}: ${collapse(type.text)}` : collapse(assignment.text, MAX_VALUE);
  return { name: left.text, kind, signature, line: lineOf(statement) };
}

function unwrapDecorators(statement: PythonNode): { definition: PythonNode; decorators: string[] } {
  if (statement.type !== 'decorated_definition') return { definition: statement, decorators: [] };
  const definition = statement.childForFieldName('definition') ?? statement;
  const decorators = statement.namedChildren.filter((child) => child.type === 'decorator').map((decorator) => collapse(decorator.text.replace(/^@\s*/, '').replace(/\(.*$/s, '')));
  return { definition, decorators };
}

/** First sentence of the docstring opening a module or a block. */
function docstringOf(body: PythonNode | null): string | undefined {
  let first = body?.firstNamedChild ?? null;
  while (first?.type === 'comment') first = first.nextNamedSibling;
  const string = first?.type === 'expression_statement' ? first.firstNamedChild : undefined;
  if (string?.type !== 'string') return undefined;
  const content = string.namedChildren.filter((child) => child.type === 'string_content').map((child) => child.text).join('');
  return firstCommentSentence(content.replace(/\\\n/g, ''));
}

function withDoc(symbol: CodeSymbol, doc: string | undefined): CodeSymbol {
  return doc === undefined ? symbol : { ...symbol, doc };
}

/** `(a, b)` from a parameter list however it is wrapped, without its comments and trailing comma. */
function parameterList(parameters: PythonNode | null): string {
  if (parameters === null) return '()';
  const tokens = parameters.children.filter((child) => child.type !== 'comment').map((child) => child.text);
  const text = tokens.join(' ').replace(/\(\s+/, '(').replace(/\s+,/g, ',').replace(/,?\s*\)$/, ')');
  return collapse(text, Number.POSITIVE_INFINITY);
}

function isPublic(name: string): boolean {
  return name !== '' && !name.startsWith('_');
}

function lineOf(node: PythonNode): number {
  return node.startPosition.row + 1;
}
