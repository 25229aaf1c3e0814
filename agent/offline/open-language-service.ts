// A TypeScript language service over a workspace's TS/JS files (the TypeScript bundled with
// ts-morph), configured by the workspace's tsconfig.json when it has one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Project, ts } from 'ts-morph';

/** Files the offline engine reads and may change; declaration files are never edited. */
export function isEditableSource(relativePath: string): boolean {
  return /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(relativePath) && !/\.d\.[cm]?ts$/.test(relativePath) && !relativePath.split('/').includes('node_modules');
}

/** For a workspace without tsconfig.json: JavaScript is checked too, as editors do with checkJs. */
const DEFAULT_COMPILER_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
};

export interface WorkspaceService {
  service: ts.LanguageService;
  program: ts.Program;
  /** Absolute file name (as TypeScript spells it) → repository-relative path, for the files to analyse. */
  files: Map<string, string>;
  preferences: ts.UserPreferences;
}

/** `sources`: repository-relative paths of the tracked, editable source files. */
export function openLanguageService(workspace: string, sources: readonly string[]): WorkspaceService {
  const tsconfig = path.join(workspace, 'tsconfig.json');
  const project = existsSync(tsconfig) ? new Project({ tsConfigFilePath: tsconfig }) : new Project({ compilerOptions: DEFAULT_COMPILER_OPTIONS });
  const wanted = new Map(sources.map((source) => [path.join(workspace, source), source]));
  const inProgram = project.getSourceFiles().filter((file) => wanted.has(path.normalize(file.getFilePath())));
  // Without a tsconfig, or with one that lists no files itself (solution style), analyse the tracked sources.
  if (inProgram.length === 0) project.addSourceFilesAtPaths([...wanted.keys()]);

  const service = project.getLanguageService().compilerObject;
  const program = service.getProgram();
  if (program === undefined) throw new Error(`the TypeScript language service has no program for ${workspace}`);
  const files = new Map<string, string>();
  for (const file of program.getSourceFiles()) {
    const relative = wanted.get(path.normalize(file.fileName));
    if (relative !== undefined) files.set(file.fileName, relative);
  }
  return { service, program, files, preferences: preferencesFor(program.getCompilerOptions()) };
}

/** Formatting for the text the language service inserts: two-space indents, spaced braces. */
export function formatSettings(): ts.FormatCodeSettings {
  return { ...ts.getDefaultFormatCodeSettings('\n'), indentSize: 2, tabSize: 2, convertTabsToSpaces: true, semicolons: ts.SemicolonPreference.Ignore };
}

/** Node16/NodeNext resolve ESM imports only with their extension, so added imports carry `.js`. */
function preferencesFor(options: ts.CompilerOptions): ts.UserPreferences {
  const nodeModules = [ts.ModuleKind.Node16, ts.ModuleKind.NodeNext].includes(options.module ?? ts.ModuleKind.None) ||
    [ts.ModuleResolutionKind.Node16, ts.ModuleResolutionKind.NodeNext].includes(options.moduleResolution ?? ts.ModuleResolutionKind.Classic);
  return {
    quotePreference: 'auto',
    importModuleSpecifierEnding: nodeModules ? 'js' : 'auto',
    importModuleSpecifierPreference: 'relative',
    includePackageJsonAutoImports: 'off',
    organizeImportsIgnoreCase: 'auto',
  };
}
