// The public API of the `hephaestus-agent` package (DESIGN.md §9).
export { createAgent, type Agent, type CreateAgentOptions } from './create-agent.js';
export type { RunCyclesOptions, RunSummary, AfterCycle } from './cycle/run-cycles.js';
export type { CycleRecord, Phase, Outcome } from './cycle/cycle-record.js';
export { PHASES, OUTCOMES } from './cycle/cycle-record.js';
export type { CycleEvent, CycleEventListener } from './cycle/cycle-events.js';
export { REASON_CODES, type ReasonCode } from './cycle/reason-codes.js';
export type { Planner, PlannerCapabilities, ProposedObjective, ProposeObjectiveInput, PlanPatchInput, PlannerContext, PlanPatchContext } from './planner/planner.js';
export type { ArchitectResult } from './architect/run-architect.js';
export type { LlmProvider, ProviderContext, ProviderFactory, ProviderReply, ProviderRequest } from './llm/provider.js';
export type { ChatMessage, TokenUsage, UsageTotals } from './llm/types.js';
export type { PatchPlan } from './patches/plan-schema.js';
export type { Config, ConfigInput } from './config/schema.js';
export type { Clock } from './core/clock.js';
export type { IdSource } from './core/ids.js';
export type { StatusReport } from './state/collect-status.js';
export { AbortedError, ConfigError, GitError, HephaestusError, LockHeldError, RepositoryError, UsageError, isHephaestusError } from './core/errors.js';
export { BudgetExceededError, LlmProviderUnavailableError, LlmRefusedError, LlmRequestError, LlmTimeoutError, LlmUnavailableError } from './llm/llm-errors.js';
export { BranchMovedError } from './promotion/promotion-errors.js';
