// The Planner: the seam between the cycle and whatever proposes changes (DESIGN.md §9). The
// LLM planner (objective generation + Architect over an LlmClient) and the offline planner
// (the TypeScript language service) implement it; the cycle reads what a planner can do from
// its capabilities, never from its name.
import type { Logger } from 'pino';
import type { ArchitectResult } from '../architect/run-architect.js';
import type { CheckedReply } from '../architect/check-architect-reply.js';
import type { LlmClient, UsageMeter } from '../llm/types.js';
import type { Lesson } from '../memory/memory-schema.js';
import type { ReadonlyMemory } from '../memory/agent-memory.js';
import type { ScanResult } from '../scanner/scan-types.js';

export interface PlannerCapabilities {
  /** It may propose the next objective while the current cycle validates; false when it reads the tree that cycle is about to change. */
  readonly prefetchObjectives: boolean;
  /** It can carry out any objective text (queued, correction, capacitation); false: only the ones it proposes itself. */
  readonly arbitraryObjectives: boolean;
}

export interface ProposedObjective {
  text: string;
  rationale: string | null;
  files: string[];
  source: 'llm' | 'heuristic' | 'offline';
}

/** Nothing to propose, and why in words (shown as the skipped cycle's detail). */
export interface NothingToPropose {
  text: null;
  reason: string;
}

export interface ProposeObjectiveInput {
  /** The sandbox at the cycle's base commit (never the user's working tree). */
  workspace: string;
  scan: ScanResult;
  /** AGENTS.md text, rendered in memory for this cycle. */
  manifest: string;
  memory: ReadonlyMemory;
  /** Objectives being worked on right now (a proposal made ahead): a proposal must not repeat them. */
  attempting?: readonly string[];
}

export interface PlanPatchInput {
  /** `detail`: what went wrong last time, for correction objectives. */
  objective: { text: string; files: readonly string[]; detail?: string | null };
  /** The tree the plan applies to: the sandbox at the cycle's base commit. */
  workspace: string;
  scan: ScanResult;
  manifest: string;
  lessons: readonly Lesson[];
  /** Set when several candidates are planned, so they differ. */
  temperature?: number;
}

export interface PlannerContext {
  logger: Logger;
  signal: AbortSignal;
  /** The cycle's usage scope. */
  meter: UsageMeter;
}

export interface PlanPatchContext extends PlannerContext {
  /** The cycle's pre-check of one reply (timed as the `precheck` phase). */
  precheck(replyText: string): Promise<CheckedReply>;
}

export interface Planner {
  readonly name: string;
  readonly capabilities: PlannerCapabilities;
  /** The light-model roles (Maestro, review, commit messages) use it; null when there is no model. */
  readonly llm: LlmClient | null;
  /** null or NothingToPropose: nothing to do. */
  proposeObjective(input: ProposeObjectiveInput, context: PlannerContext): Promise<ProposedObjective | NothingToPropose | null>;
  planPatch(input: PlanPatchInput, context: PlanPatchContext): Promise<ArchitectResult>;
  close(): Promise<void>;
}
