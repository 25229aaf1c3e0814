// The manifest phase (DESIGN.md §1.2): scan the base commit in the sandbox (never the user's
// working tree) and render AGENTS.md in memory for the prompts. After a plan is written into a
// sandbox, the tracked AGENTS.md is regenerated there so the commit keeps the branch in sync;
// a hand-written one is never rewritten (only the part between its begin/end markers, if any).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { manifestOwnership, refreshedManifest } from '../../manifest/manifest-ownership.js';
import { renderManifest } from '../../manifest/render-manifest.js';
import { scanRepository } from '../../scanner/scan-repository.js';
import type { ScanResult } from '../../scanner/scan-types.js';
import type { Sandbox } from '../../../sandbox/sandbox.js';
import type { CycleContext } from '../cycle-context.js';
import type { Candidate } from './validate-candidates.js';

export interface BuiltManifest {
  scan: ScanResult;
  manifest: string;
}

type ManifestContext = Pick<CycleContext, 'config' | 'scanCache' | 'logger' | 'signal' | 'redactor'>;

export async function buildManifest(workspace: string, context: ManifestContext): Promise<BuiltManifest> {
  const { config } = context;
  const scan = await scanRepository(workspace, { config, ...(context.scanCache ? { cache: context.scanCache } : {}), logger: context.logger, signal: context.signal });
  return { scan, manifest: renderManifest(scan, { manifestPath: config.manifest.path, redact: context.redactor.redact }) };
}

/** The candidate with the regenerated AGENTS.md among its changes, when the repository tracks one that is ours to write and it changed. */
export async function refreshManifest(sandbox: Sandbox, candidate: Candidate, scan: ScanResult, context: ManifestContext): Promise<Candidate> {
  const { config } = context;
  const manifestPath = config.manifest.path;
  if (!config.manifest.commit || !scan.files.some((file) => file.path === manifestPath)) return candidate;
  const file = path.join(sandbox.root, manifestPath);
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (manifestOwnership(existing).kind === 'hand-written') return candidate;
  const rescanned = await scanRepository(sandbox.root, { config, ...(context.scanCache ? { cache: context.scanCache } : {}), signal: context.signal });
  const content = refreshedManifest(manifestPath, existing, renderManifest(rescanned, { manifestPath, redact: context.redactor.redact }));
  if (content === null || content === existing) return candidate;
  await writeFile(file, content);
  return { ...candidate, changes: new Map([...candidate.changes, [manifestPath, content]]) };
}
