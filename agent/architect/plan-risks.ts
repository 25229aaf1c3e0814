// What makes a patch plan risky enough for the optional review: deletions, running processes,
// evaluating code, network access. Looks only at the text the plan adds and the files it deletes.
import type { Patch, PatchPlan } from '../patches/plan-schema.js';

export type PlanRiskKind = 'deletion' | 'child-process' | 'eval' | 'network';

export interface PlanRisk {
  kind: PlanRiskKind;
  file: string;
  /** What was found, e.g. `deletes the file` or `imports node:child_process`. */
  detail: string;
}

interface RiskPattern {
  kind: Exclude<PlanRiskKind, 'deletion'>;
  pattern: RegExp;
  detail: string;
}

const MODULE = String.raw`\s*(?:from\s*|require\s*\(\s*|import\s*\(\s*)`;
const nodeModule = (names: string): RegExp => new RegExp(String.raw`${MODULE}['"](?:node:)?(?:${names})(?:/[\w/]*)?['"]`);

const RISK_PATTERNS: readonly RiskPattern[] = [
  { kind: 'child-process', pattern: nodeModule('child_process'), detail: 'imports child_process' },
  { kind: 'child-process', pattern: /\b(?:import\s+subprocess|from\s+subprocess\s+import|os\.system\s*\(|os\.popen\s*\()/, detail: 'runs processes (subprocess / os.system)' },
  { kind: 'eval', pattern: /(?<![\w.])eval\s*\(/, detail: 'calls eval()' },
  { kind: 'eval', pattern: /\bnew\s+Function\s*\(/, detail: 'builds code with new Function()' },
  { kind: 'network', pattern: nodeModule('http|https|http2|net|dgram|tls|undici'), detail: 'imports a network module' },
  { kind: 'network', pattern: /(?<![\w.])fetch\s*\(|\bglobalThis\.fetch\b|\bnew\s+WebSocket\s*\(/, detail: 'makes network requests (fetch / WebSocket)' },
  { kind: 'network', pattern: /^\s*(?:import|from)\s+(?:socket|requests|urllib|httpx|aiohttp)\b/m, detail: 'imports a Python network module' },
];

/** Every risk the plan carries, in plan order; `changes` (path → new content, null when deleted) comes from the pre-check. */
export function findPlanRisks(plan: PatchPlan, changes: ReadonlyMap<string, string | null>): PlanRisk[] {
  const risks: PlanRisk[] = [];
  const seen = new Set<string>();
  const add = (risk: PlanRisk): void => {
    const key = `${risk.kind}\0${risk.file}\0${risk.detail}`;
    if (seen.has(key)) return;
    seen.add(key);
    risks.push(risk);
  };
  for (const [file, content] of changes) if (content === null) add({ kind: 'deletion', file, detail: 'deletes the file' });
  for (const patch of plan.patches) {
    if (patch.operation === 'DELETE_BLOCK' && patch.block_to_delete !== null) add({ kind: 'deletion', file: patch.file_path, detail: 'deletes a block of code' });
    const added = addedText(patch);
    for (const risk of RISK_PATTERNS) if (risk.pattern.test(added)) add({ kind: risk.kind, file: patch.file_path, detail: risk.detail });
  }
  return risks;
}

export function isRiskyPlan(plan: PatchPlan, changes: ReadonlyMap<string, string | null>): boolean {
  return findPlanRisks(plan, changes).length > 0;
}

/** The text a patch writes: its content, or the added lines of a diff. */
function addedText(patch: Patch): string {
  switch (patch.operation) {
    case 'INSERT':
    case 'REPLACE':
      return typeof patch.content === 'string' ? patch.content : patch.content.join('\n');
    case 'DIFF':
      return patch.diff
        .split(/\r?\n/)
        .filter((line) => line.startsWith('+') && !line.startsWith('+++'))
        .map((line) => line.slice(1))
        .join('\n');
    case 'DELETE_BLOCK':
      return '';
  }
}
