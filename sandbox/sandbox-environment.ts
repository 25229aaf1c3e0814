// Environment variables every validation command of a sandbox gets, so that it runs the
// sandbox's code and never the user's working tree: PYTHONPATH starts with the sandbox's
// Python source roots (editable installs and a src layout, mapped into the sandbox).
import { access } from 'node:fs/promises';
import path from 'node:path';
import { pythonSourceRoots } from './source-roots.js';

const PYTHON_PROJECT_FILES = ['pyproject.toml', 'setup.py', 'setup.cfg'];

export async function sandboxEnvironment(repoRoot: string, sandboxRoot: string, linkPaths: readonly string[]): Promise<Record<string, string>> {
  const roots = await pythonSourceRoots(repoRoot, linkPaths);
  const pythonProject = (await Promise.all(PYTHON_PROJECT_FILES.map((name) => exists(path.join(repoRoot, name))))).some(Boolean);
  if (pythonProject && !roots.includes('src') && (await exists(path.join(sandboxRoot, 'src')))) roots.push('src');
  if (roots.length === 0) return {};
  return { PYTHONPATH: roots.map((root) => (root === '.' ? sandboxRoot : path.join(sandboxRoot, ...root.split('/')))).join(path.delimiter) };
}

/** The command environment with the sandbox's variables; PYTHONPATH keeps what was set after ours. */
export function withSandboxEnvironment(base: NodeJS.ProcessEnv, sandbox: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...base, ...sandbox };
  if (sandbox.PYTHONPATH && base.PYTHONPATH) merged.PYTHONPATH = `${sandbox.PYTHONPATH}${path.delimiter}${base.PYTHONPATH}`;
  return merged;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
