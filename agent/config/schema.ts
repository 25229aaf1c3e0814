// The configuration contract (DESIGN.md): every key, its type and its default.
// `hephaestus.config.json` is validated against `configSchema`; the JSON Schema shipped
// for editors is generated from it at build time (write-json-schema.ts).
import { z } from 'zod';
import { LOG_LEVELS } from './log-levels.js';

export { LOG_LEVELS };

/** A command from config: a string (split like a shell would, no shell is used) or argv. */
export const commandSchema = z
  .union([z.string().min(1), z.array(z.string()).min(1)])
  .describe('A command as a string ("npx vitest run {files}") or an argv array. Never comes from LLM output.');

const stepCommandSchema = z.strictObject({
  command: commandSchema.nullable().default(null).describe('Command to run; null disables the step.'),
  timeoutMs: z.number().int().positive().default(300_000).describe('Kill the whole process tree after this many ms.'),
});

export const STEP_NAMES = ['syntax', 'typecheck', 'lint', 'tests'] as const;

const strategySchema = z.strictObject({
  steps: z.array(z.string()).describe('Steps in order: syntax, typecheck, lint, tests, tests:affected or command:<name>.'),
  sanity: z.string().nullable().default(null).describe('Step run on the new branch tip after promotion; null for none.'),
  description: z.string().optional(),
});

export type StrategyDefinition = z.infer<typeof strategySchema>;

export const DEFAULT_STRATEGIES: Record<string, StrategyDefinition> = {
  SYNTAX_ONLY: { steps: ['syntax'], sanity: null, description: 'Parse every touched file.' },
  SYNTAX_AND_TESTS: { steps: ['syntax', 'typecheck', 'tests'], sanity: 'tests:affected', description: 'Syntax, types and tests.' },
  FULL_VALIDATION: { steps: ['syntax', 'typecheck', 'lint', 'tests'], sanity: 'tests', description: 'Everything configured.' },
  DOC_UPDATE: { steps: ['syntax'], sanity: null, description: 'Markdown/JSON/YAML parse.' },
  CONFIG_UPDATE: { steps: ['syntax', 'tests'], sanity: 'tests:affected', description: 'Config files: parse and test.' },
  CREATE_NEW_TEST_FILE: { steps: ['syntax', 'typecheck', 'tests'], sanity: null, description: 'New test files must run and pass.' },
  TEST_FIX: { steps: ['syntax', 'typecheck', 'tests'], sanity: 'tests', description: 'Fix failing tests.' },
  DISCARD: { steps: [], sanity: null, description: 'Always rejected.' },
};

export const PROVIDERS = ['auto', 'openai', 'anthropic', 'offline'] as const;

const llmSchema = z.strictObject({
  provider: z.enum(PROVIDERS).default('auto').describe('auto: anthropic with ANTHROPIC_API_KEY, openai with OPENAI_API_KEY or a baseUrl, else offline.'),
  baseUrl: z.url().nullable().default(null).describe('OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp, LM Studio, OpenRouter) or Anthropic base URL.'),
  apiKeyEnv: z.string().nullable().default(null).describe('Name of the environment variable holding the API key (default: OPENAI_API_KEY or ANTHROPIC_API_KEY). Keys never go in this file.'),
  models: z
    .strictObject({
      main: z.string().default('gpt-4o').describe('Architect and objectives.'),
      light: z.string().default('gpt-4o-mini').describe('Maestro, review, commit messages.'),
      fallback: z.array(z.string()).default([]).describe('Models tried in order when the main one is unavailable.'),
    })
    .prefault({}),
  temperature: z.number().min(0).max(2).default(0.2),
  maxTokens: z.number().int().positive().default(4096),
  timeoutMs: z.number().int().positive().default(120_000).describe('Per-call timeout.'),
  retries: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(20).default(4),
      baseDelayMs: z.number().int().min(0).default(500),
      maxDelayMs: z.number().int().min(0).default(30_000),
    })
    .prefault({}),
  cache: z
    .strictObject({
      mode: z.enum(['all', 'deterministic', 'off']).default('all'),
      ttlMs: z.number().int().positive().nullable().default(null),
    })
    .prefault({}),
  rateLimit: z
    .strictObject({
      tier: z.enum(['tier1', 'tier2', 'tier3', 'tier4']).default('tier1'),
      mode: z.enum(['conservative', 'balanced', 'aggressive']).default('balanced'),
      requestsPerMinute: z.number().int().positive().nullable().default(null).describe('Overrides the tier preset.'),
      tokensPerMinute: z.number().int().positive().nullable().default(null),
      maxConcurrent: z.number().int().positive().nullable().default(null).describe('Overrides the tier/mode preset.'),
    })
    .prefault({}),
  budget: z
    .strictObject({
      tokensPerCycle: z.number().int().positive().nullable().default(null),
      tokensPerRun: z.number().int().positive().nullable().default(null),
      costPerRun: z.number().positive().nullable().default(null).describe('In the currency of `prices`.'),
    })
    .prefault({}),
  prices: z
    .record(z.string(), z.strictObject({ input: z.number().min(0), output: z.number().min(0) }))
    .default({})
    .describe('Price per million tokens by model name.'),
});

const gitSchema = z.strictObject({
  branch: z.string().min(1).default('hephaestus/evolve').describe('Branch the agent commits to; created from HEAD when absent.'),
  remote: z.string().min(1).default('origin'),
  push: z.boolean().default(false).describe('Fetch the evolution branch before and push it after a run.'),
  author: z
    .strictObject({
      name: z.string().min(1).default('Hephaestus'),
      email: z.string().min(1).default('hephaestus@localhost'),
    })
    .prefault({}),
  commitMessages: z.enum(['template', 'llm']).default('template').describe('llm: the light model writes the message (sanitised).'),
});

const sandboxSchema = z.strictObject({
  pool: z.number().int().min(1).max(16).default(2).describe('Number of pooled worktrees.'),
  linkPaths: z.array(z.string()).default(['node_modules']).describe('Paths symlinked from the repo into each sandbox.'),
  network: z.enum(['on', 'off']).default('on').describe('off: run commands without network where the system allows it.'),
});

const testsSchema = z.strictObject({
  command: commandSchema.nullable().default(null).describe('Test command; {files} is replaced by the test files of a shard.'),
  files: z.array(z.string()).default(['**/*.test.ts', '**/*.spec.ts', '**/*.test.js', '**/*.spec.js', 'test/**/*.test.*']).describe('Globs of test files.'),
  workers: z.number().int().min(1).nullable().default(null).describe('Concurrent shards; null = available cores.'),
  timeoutMs: z.number().int().positive().default(600_000),
  retryFailed: z.boolean().default(true).describe('Re-run a failing shard once; a pass is recorded as flaky.'),
});

const validationSchema = z.strictObject({
  syntax: z
    .strictObject({
      commands: z
        .record(z.string().regex(/^\.[A-Za-z0-9]+$/, 'an extension like ".py"'), commandSchema)
        .default({})
        .describe('Per-extension syntax commands; {file} is replaced by the file path.'),
      timeoutMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  typecheck: stepCommandSchema.prefault({}),
  lint: stepCommandSchema.prefault({}),
  tests: testsSchema.prefault({}),
  commands: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), stepCommandSchema).default({}).describe('Named commands usable as command:<name> steps.'),
  parallelSteps: z.boolean().default(true).describe('After the syntax step, run typecheck, lint and tests in parallel (the first failure stops the others); false runs them in order.'),
});

const guardsSchema = z.strictObject({
  protectedPaths: z.array(z.string()).default([]).describe('Globs the agent may never change.'),
  maxFiles: z.number().int().positive().default(10),
  maxChangedLines: z.number().int().positive().default(400),
  allowTestEdits: z.boolean().default(false).describe('Allow modifying or deleting existing test files.'),
});

const strategiesSchema = z.strictObject({
  default: z.string().default('FULL_VALIDATION'),
  definitions: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'UPPER_SNAKE_CASE'), strategySchema).default({}).describe('Added to or replacing the built-in strategies.'),
});

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    llm: llmSchema.prefault({}),
    git: gitSchema.prefault({}),
    sandbox: sandboxSchema.prefault({}),
    validation: validationSchema.prefault({}),
    strategies: strategiesSchema.prefault({}),
    guards: guardsSchema.prefault({}),
    memory: z.strictObject({ maxEntries: z.number().int().positive().default(200) }).prefault({}),
    log: z
      .strictObject({
        level: z.enum(LOG_LEVELS).default('info'),
        file: z.boolean().default(true).describe('Write .hephaestus/hephaestus.log.'),
      })
      .prefault({}),
    architect: z
      .strictObject({
        contextTokens: z.number().int().positive().default(24_000),
        maxReflections: z.number().int().min(0).max(5).default(2),
      })
      .prefault({}),
    review: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
    manifest: z
      .strictObject({
        commit: z.boolean().default(true).describe('Put the regenerated AGENTS.md into each commit when the repo tracks it.'),
        path: z.string().default('AGENTS.md'),
      })
      .prefault({}),
    scanner: z
      .strictObject({
        maxFileBytes: z.number().int().positive().default(1_000_000).describe('Larger files are listed, not parsed.'),
        exclude: z.array(z.string()).default([]),
      })
      .prefault({}),
    objectives: z
      .strictObject({
        maxFailures: z.number().int().positive().default(3).describe('Same objective failing this often is skipped (DEGENERATIVE_LOOP).'),
      })
      .prefault({}),
    run: z
      .strictObject({
        continuousPauseMs: z.number().int().min(0).default(30_000),
      })
      .prefault({}),
    prompts: z
      .strictObject({
        dir: z.string().nullable().default(null).describe('Directory with *.md templates overriding the built-in ones.'),
      })
      .prefault({}),
    ci: z
      .strictObject({
        maxOpenPrs: z.number().int().min(0).default(1).describe('run --pr opens no new pull request while this many Hephaestus pull requests are open.'),
        maxFilesPerRun: z.number().int().positive().default(30).describe('run --ci stops once its commits changed this many files in total.'),
        maxChangedLinesPerRun: z.number().int().positive().default(1_200).describe('run --ci stops once its commits changed this many lines in total.'),
      })
      .prefault({}),
  })
  .superRefine((config, context) => {
    const strategies = { ...DEFAULT_STRATEGIES, ...config.strategies.definitions };
    const commandNames = Object.keys(config.validation.commands);
    const isKnownStep = (step: string) =>
      (STEP_NAMES as readonly string[]).includes(step) ||
      step === 'tests:affected' ||
      (step.startsWith('command:') && commandNames.includes(step.slice('command:'.length)));
    for (const [name, strategy] of Object.entries(config.strategies.definitions)) {
      strategy.steps.forEach((step, index) => {
        if (!isKnownStep(step)) {
          context.addIssue({
            code: 'custom',
            path: ['strategies', 'definitions', name, 'steps', index],
            message: unknownStepMessage(step, commandNames),
            input: step,
          });
        }
      });
      if (strategy.sanity !== null && !isKnownStep(strategy.sanity)) {
        context.addIssue({
          code: 'custom',
          path: ['strategies', 'definitions', name, 'sanity'],
          message: unknownStepMessage(strategy.sanity, commandNames),
          input: strategy.sanity,
        });
      }
    }
    if (!(config.strategies.default in strategies)) {
      context.addIssue({
        code: 'custom',
        path: ['strategies', 'default'],
        message: `unknown strategy "${config.strategies.default}"; known: ${Object.keys(strategies).join(', ')}`,
        input: config.strategies.default,
      });
    }
  });

function unknownStepMessage(step: string, commandNames: string[]): string {
  if (step.startsWith('command:')) {
    const known = commandNames.length > 0 ? `defined: ${commandNames.join(', ')}` : 'none defined';
    return `unknown step "${step}": define "${step.slice('command:'.length)}" under validation.commands (${known})`;
  }
  return `unknown step "${step}"; expected one of ${[...STEP_NAMES, 'tests:affected', 'command:<name>'].join(', ')}`;
}

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export function strategiesOf(config: Config): Record<string, StrategyDefinition> {
  return { ...DEFAULT_STRATEGIES, ...config.strategies.definitions };
}
