// tsc's incremental build info, shared between the sandboxes of a repository. tsc records the
// source files relative to the build info file, so each sandbox keeps its copy at the same
// place inside itself (`.hephaestus/tsbuildinfo`, kept through the reset): a copy made in one
// sandbox is valid in every other. After each typecheck the sandbox's copy becomes the
// shared one (`<state>/tsbuildinfo/shared.tsbuildinfo`); before one, the shared copy is
// brought in, so a sandbox that never ran tsc starts warm.
import { copyFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { StepContext } from './step.js';

/** Where a sandbox keeps its build info, relative to its root. */
export const SANDBOX_BUILD_INFO = '.hephaestus/tsbuildinfo';

type SandboxPlaces = Pick<StepContext['sandbox'], 'root' | 'stateDir'>;

export function sandboxBuildInfo(sandbox: SandboxPlaces): string {
  return path.join(sandbox.root, ...SANDBOX_BUILD_INFO.split('/'));
}

export function sharedBuildInfo(sandbox: SandboxPlaces): string {
  return path.join(sandbox.stateDir, 'tsbuildinfo', 'shared.tsbuildinfo');
}

/** Copies the shared build info into the sandbox; none yet is fine (tsc starts cold). */
export async function seedBuildInfo(sandbox: SandboxPlaces): Promise<void> {
  await mkdir(path.dirname(sandboxBuildInfo(sandbox)), { recursive: true });
  await copyFile(sharedBuildInfo(sandbox), sandboxBuildInfo(sandbox)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** Makes the sandbox's build info the shared one (temp file + rename: readers never see half). */
export async function shareBuildInfo(sandbox: SandboxPlaces & { id: number }): Promise<void> {
  const shared = sharedBuildInfo(sandbox);
  await mkdir(path.dirname(shared), { recursive: true });
  const temporary = `${shared}.${process.pid}.${sandbox.id}.tmp`;
  try {
    await copyFile(sandboxBuildInfo(sandbox), temporary);
    await rename(temporary, shared);
  } catch (error) {
    // tsc wrote nothing (it stopped early): there is nothing to share.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
