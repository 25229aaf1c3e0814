// The scanner's data model: what one scan of a repository knows about each file and about the
// import graph between them. Everything here is plain JSON so it can live in the scan cache.

export type Language = 'typescript' | 'javascript' | 'python' | 'json' | 'markdown' | 'yaml' | 'shell' | 'go' | 'css' | 'html' | 'text' | 'other';

/**
 * How far a file was read: `parsed` (code analysed), `text` (line metrics only), or why it was
 * listed without being read (`binary`, `too-large`, `invalid-utf8`, `unreadable`, `symlink`).
 */
export type FileStatus = 'parsed' | 'text' | 'binary' | 'too-large' | 'invalid-utf8' | 'unreadable' | 'symlink';

export type SymbolKind = 'function' | 'class' | 'interface' | 'type' | 'enum' | 'variable' | 'namespace' | 're-export' | 'method' | 'constructor' | 'property' | 'accessor';

export interface CodeSymbol {
  name: string;
  kind: SymbolKind;
  /** Declaration header with whitespace collapsed, bodies left out. */
  signature: string;
  /** 1-based line of the declaration. */
  line: number;
  /** First sentence of the doc comment, if any. */
  doc?: string;
  /** Public methods, constructor, properties and accessors of a class. */
  members?: CodeSymbol[];
}

export type FunctionKind = 'function' | 'method' | 'constructor' | 'accessor' | 'arrow' | 'expression';

export interface FunctionMetric {
  /** `name`, `Class.method`, or `<anonymous>` for unnamed callbacks. */
  name: string;
  kind: FunctionKind;
  line: number;
  /** Lines from the declaration's first to its last line. */
  length: number;
  /** McCabe cyclomatic complexity: 1 + decision points, nested functions counted on their own. */
  complexity: number;
}

export interface TodoMarker {
  line: number;
  text: string;
}

export interface SyntaxIssue {
  line: number;
  column: number;
  message: string;
}

/** What the scanner learns from a file's content alone; cached by path + content hash. */
export interface FileAnalysis {
  lines: number;
  /** First sentence of the file's opening comment: what the module is for. */
  summary?: string;
  todos: TodoMarker[];
  symbols: CodeSymbol[];
  functions: FunctionMetric[];
  syntaxErrors: SyntaxIssue[];
  /** Module specifiers as written (imports, re-exports, require, dynamic import). */
  imports: string[];
}

export interface ScannedFile extends FileAnalysis {
  /** Repository-relative POSIX path. */
  path: string;
  language: Language;
  status: FileStatus;
  bytes: number;
  isTest: boolean;
}

export interface ImportGraph {
  /** file → repository files it imports (resolved, sorted). */
  imports: Record<string, string[]>;
  /** file → repository files importing it (sorted). */
  importedBy: Record<string, string[]>;
}

export interface ScanStats {
  files: number;
  /** Files analysed by the parser in this scan (cache misses). */
  parsed: number;
  cacheHits: number;
  /** Files listed but not read: binary, too large, invalid UTF-8, unreadable, symlinks. */
  skipped: number;
  durationMs: number;
  /** The whole result was read back from the snapshot of an identical earlier scan. */
  snapshot: boolean;
}

export interface ScanResult {
  /** Sorted by path. Frozen, like the graph: later scans of an unchanged repository share them. */
  files: readonly ScannedFile[];
  graph: ImportGraph;
  stats: ScanStats;
}
