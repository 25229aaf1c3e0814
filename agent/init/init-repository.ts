// `hephaestus init`: writes a hephaestus.config.json matching the detected project and keeps
// `.hephaestus/` out of git. Idempotent: an existing config is kept unless `force` is set.
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE_NAME } from '../config/load-config.js';
import { configSchema, type ConfigInput } from '../config/schema.js';
import type { RepositoryLocation } from '../git/git-environment.js';
import { ensureStateDir, excludeFromGit } from '../state/state-dir.js';
import { detectProject, type ProjectDetection } from './detect-project.js';

export const SCHEMA_REFERENCE = './node_modules/hephaestus/dist/hephaestus.config.schema.json';

export interface InitOptions {
  force?: boolean;
  schemaReference?: string;
}

export interface InitReport {
  configFile: string;
  configWritten: boolean;
  configExisted: boolean;
  detection: ProjectDetection;
  excludeUpdated: boolean;
}

export async function initRepository(repository: RepositoryLocation, options: InitOptions = {}): Promise<InitReport> {
  const configFile = path.join(repository.root, CONFIG_FILE_NAME);
  const configExisted = await access(configFile).then(
    () => true,
    () => false,
  );
  const detection = await detectProject(repository.root);
  const excludeUpdated = await excludeFromGit(repository);
  await ensureStateDir(repository);

  let configWritten = false;
  if (!configExisted || options.force) {
    const config = configForProject(detection, options.schemaReference ?? SCHEMA_REFERENCE);
    configSchema.parse(config); // what init writes must always load
    await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
    configWritten = true;
  }
  return { configFile, configWritten, configExisted, detection, excludeUpdated };
}

export function configForProject(detection: ProjectDetection, schemaReference: string): ConfigInput {
  const tests = testSettings(detection);
  const config: ConfigInput = {
    $schema: schemaReference,
    llm: { provider: 'auto' },
    git: { branch: 'hephaestus/evolve' },
    sandbox: { linkPaths: detection.language === 'javascript' ? ['node_modules'] : detection.language === 'python' ? ['.venv'] : [] },
    validation: {
      syntax: { commands: detection.language === 'python' ? { '.py': 'python3 -m py_compile {file}' } : {} },
      typecheck: {
        command: detection.typescript ? 'npx tsc --noEmit' : detection.mypy ? 'python3 -m mypy .' : null,
      },
      lint: {
        command: detection.linter === 'eslint' ? 'npx eslint {files}' : detection.linter === 'biome' ? 'npx biome check {files}' : null,
      },
      tests: { command: tests.command, files: tests.files },
    },
    strategies: { default: tests.command ? 'FULL_VALIDATION' : 'SYNTAX_ONLY' },
    guards: {
      protectedPaths: ['.github/**', CONFIG_FILE_NAME, ...detection.lockfiles],
      allowTestEdits: false,
    },
  };
  return config;
}

function testSettings(detection: ProjectDetection): { command: string | null; files: string[] } {
  const jsFiles = ['**/*.test.{ts,tsx,js,jsx,mjs,cjs,mts,cts}', '**/*.spec.{ts,tsx,js,jsx,mjs,cjs,mts,cts}'];
  switch (detection.testFramework) {
    case 'vitest':
      return { command: 'npx vitest run {files}', files: jsFiles };
    case 'jest':
      return { command: 'npx jest --runTestsByPath {files}', files: [...jsFiles, '**/__tests__/**/*.{ts,tsx,js,jsx}'] };
    case 'mocha':
      return { command: 'npx mocha {files}', files: ['test/**/*.{js,mjs,cjs,ts}', ...jsFiles] };
    case 'node-test':
      return {
        command: detection.tsx ? 'node --import tsx --test {files}' : 'node --test {files}',
        files: ['**/*.test.{js,mjs,cjs,ts,mts}', 'test/**/*.{js,mjs,cjs}'],
      };
    case 'npm-script':
      return { command: 'npm test', files: jsFiles };
    case 'pytest':
      return { command: 'python3 -m pytest -q {files}', files: ['**/test_*.py', '**/*_test.py'] };
    case 'none':
      return { command: null, files: detection.language === 'python' ? ['**/test_*.py', '**/*_test.py'] : jsFiles };
  }
}
