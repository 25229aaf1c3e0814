// What the phases of a cycle read: a narrow, read-only context made once per run at the
// composition root (agent/create-agent.ts). Per-cycle values (the limits narrowed between
// cycles, the one-off objective) are inputs of runCycle, never writes into this.
import type Keyv from 'keyv';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { StrategyChoice } from '../maestro.js';
import type { AgentMemory } from '../memory/agent-memory.js';
import type { Planner } from '../planner/planner.js';
import type { SandboxPool } from '../../sandbox/sandbox-pool.js';
import type { SecretRedactor } from '../logging/secret-redactor.js';
import type { CycleEventListener } from './cycle-events.js';

export interface CycleContext {
  readonly repoRoot: string;
  readonly stateDir: string;
  readonly config: Config;
  readonly planner: Planner;
  readonly memory: AgentMemory;
  readonly pool: SandboxPool;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly runId: string;
  /** The persistent scan cache; null runs without one. */
  readonly scanCache: Keyv | null;
  readonly clock: Clock;
  readonly onEvent: CycleEventListener | null;
  /** The Maestro's decisions by plan shape, shared by the cycles of one run. */
  readonly decisions: Map<string, StrategyChoice>;
  /** The run's one redaction pass: records, lessons and correction objectives go through it. */
  readonly redactor: SecretRedactor;
}
