// The configuration contract (DESIGN.md): every key, its type and its default.
// `hephaestus.config.json` is validated against `configSchema`; the JSON Schema shipped
// for editors is generated from it at build time (write-json-schema.ts).
import type { DeepReadonly } from '../core/deep-readonly.js';
import { z } from 'zod';
import { LOG_LEVELS } from './log-levels.js';

export { LOG_LEVELS };

/** A command from config: a string (split like a shell would, no shell is used) or argv. */
export const commandSchema = z
  .union([z.string().min(1), z.array(z.string()).min(1)])
  .describe('A command as a string ("npx vitest run {files}") or an argv array. Never comes from LLM output.');

const stepCommandSchema = z.strictObject({
  command: commandSchema.nullable().default(null).describe('Command to run; null disables the step. {files} is replaced by the files the change writes.'),
  files: z
    .array(z.string())
    .nullable()
    .default(null)
    .describe('Globs narrowing what {files} receives (e.g. the linter\'s extensions); null: every file the change writes. No matching file skips the step.'),
  timeoutMs: z.number().int().positive().default(300_000).describe('Kill the whole process tree after this many ms.'),
});

export const STEP_NAMES = ['syntax', 'typecheck', 'lint', 'tests'] as const;

const strategySchema = z.strictObject({
  steps: z.array(z.string()).describe('Steps in order: syntax, typecheck, lint, tests, tests:affected or command:<name>.'),
  sanity: z.string().nullable().default(null).describe('Step run on the new branch tip after promotion; null for none.'),
  description: z.string().optional().describe('What the strategy is for, in one line (shown in logs).'),
});

export type StrategyDefinition = DeepReadonly<z.infer<typeof strategySchema>>;

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
      main: z.string().min(1).nullable().default(null).describe("Architect and objectives; null: the provider's default (claude-sonnet-4-5, gpt-5)."),
      light: z.string().min(1).nullable().default(null).describe("Maestro, review, commit messages; null: the provider's default (claude-haiku-4-5, gpt-5-mini)."),
      fallback: z.array(z.string()).default([]).describe('Models tried in order when the main one is unavailable.'),
    })
    .prefault({})
    .describe('Model names per role: main (Architect, objectives) and light (Maestro, review, commit messages).'),
  temperature: z.number().min(0).max(2).default(0.2).describe('Sampling temperature of the main model; --candidates raises it per extra candidate.'),
  maxTokens: z.number().int().positive().default(4096).describe('Largest reply, in tokens, a call may ask for.'),
  timeoutMs: z.number().int().positive().default(120_000).describe('Per-call timeout.'),
  maxReplyBytes: z.number().int().positive().default(8 * 1024 * 1024).describe('A reply body larger than this is refused while it is read (LLM_UNAVAILABLE), so memory stays bounded.'),
  retries: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(20).default(4).describe('Attempts per call, the first included, on 429, 5xx and network errors.'),
      baseDelayMs: z.number().int().min(0).default(500).describe('First backoff delay; doubled per attempt, with jitter.'),
      maxDelayMs: z.number().int().min(0).default(30_000).describe('Longest backoff delay (a longer Retry-After is honoured up to this).'),
    })
    .prefault({})
    .describe('Retries with exponential backoff and jitter, honouring Retry-After.'),
  cache: z
    .strictObject({
      mode: z.enum(['all', 'deterministic', 'off']).default('all').describe('all: cache every reply; deterministic: only temperature-0 calls; off: no cache.'),
      ttlMs: z.number().int().positive().nullable().default(null).describe('Age after which a cached reply is not used; null keeps replies until cleared.'),
    })
    .prefault({})
    .describe('The LLM reply cache in .hephaestus/cache.sqlite (namespace llm).'),
  rateLimit: z
    .strictObject({
      tier: z.enum(['tier1', 'tier2', 'tier3', 'tier4']).default('tier1').describe("The provider account's usage tier; picks the requests and tokens per minute preset."),
      mode: z.enum(['conservative', 'balanced', 'aggressive']).default('balanced').describe('How much of the tier preset to use, and how many calls run at once.'),
      requestsPerMinute: z.number().int().positive().nullable().default(null).describe('Overrides the tier preset.'),
      tokensPerMinute: z.number().int().positive().nullable().default(null).describe('Overrides the tier preset.'),
      maxConcurrent: z.number().int().positive().nullable().default(null).describe('Overrides the tier/mode preset.'),
    })
    .prefault({})
    .describe('A shared rate limiter for all calls of a run.'),
  budget: z
    .strictObject({
      tokensPerCycle: z.number().int().positive().nullable().default(null).describe('A cycle stops (BUDGET_EXCEEDED) after this many tokens; null for no limit.'),
      tokensPerRun: z.number().int().positive().nullable().default(null).describe('The run stops after this many tokens; null for no limit.'),
      costPerRun: z.number().positive().nullable().default(null).describe('The run stops after spending this many USD (from the price table; --max-cost overrides); null for no limit.'),
    })
    .prefault({})
    .describe('Token and cost limits; reaching one stops the cycle or the run.'),
  prices: z
    .record(
      z.string(),
      z.strictObject({
        input: z.number().min(0).describe('USD per million input tokens.'),
        output: z.number().min(0).describe('USD per million output tokens.'),
        cachedInput: z.number().min(0).optional().describe('USD per million input tokens read from the prompt cache; default: the input price.'),
        cacheWrite: z.number().min(0).optional().describe('USD per million input tokens written to the prompt cache (Anthropic); default: the input price.'),
      }),
    )
    .default({})
    .describe('USD per million tokens by model name, over the built-in table of the default models.'),
});

const gitSchema = z.strictObject({
  branch: z.string().min(1).default('hephaestus/evolve').describe('Branch the agent commits to; created from HEAD when absent.'),
  remote: z.string().min(1).default('origin').describe('Remote fetched from and pushed to with git.push or run --pr.'),
  push: z.boolean().default(false).describe('Fetch the evolution branch before and push it after a run.'),
  author: z
    .strictObject({
      name: z.string().min(1).default('Hephaestus').describe('Author and committer name of evolution commits.'),
      email: z.string().min(1).default('hephaestus@localhost').describe('Author and committer email of evolution commits.'),
    })
    .prefault({})
    .describe('Author and committer of evolution commits (git runs without user config).'),
  commitMessages: z.enum(['template', 'llm']).default('template').describe('llm: the light model writes the message (sanitised).'),
});

export const sandboxSchema = z.strictObject({
  pool: z.number().int().min(1).max(16).default(2).describe('Number of pooled worktrees.'),
  linkPaths: z.array(z.string()).default(['node_modules']).describe('Paths symlinked from the repo into each sandbox.'),
  network: z.enum(['on', 'off']).default('off').describe('off: validation commands run in a network namespace of their own (no TCP, UDP or abstract sockets); on: they share the host network.'),
  isolation: z
    .enum(['auto', 'bwrap', 'none'])
    .default('auto')
    .describe('auto/bwrap: every validation command runs in a bubblewrap jail, and the run refuses to start when none can be built; none: commands run unjailed as you (unsafe for model-written code).'),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name'), z.string())
    .default({})
    .describe('Variables given to validation commands on top of the allow-list (PATH, LANG, LC_*, TZ, TERM, CI, NODE_ENV).'),
  readOnlyPaths: z.array(z.string()).default([]).describe('Absolute paths outside the repository that validation commands need to read (a shared package store); they stay read-only.'),
  limits: z
    .strictObject({
      processes: z.number().int().positive().nullable().default(4096).describe('Processes and threads of one command; null = no limit.'),
      fileSizeMb: z.number().int().positive().nullable().default(1024).describe('Largest file one command may write; null = no limit.'),
      memoryMb: z.number().int().positive().nullable().default(8192).describe('Memory of one command; null = no limit.'),
      mechanism: z
        .enum(['auto', 'cgroup-v2', 'cgroup-v1', 'rlimit'])
        .default('auto')
        .describe('How the limits are enforced: auto (a cgroup v2 group, else cgroup v1 groups, else rlimit; chosen once and logged), or the one named. rlimit works without cgroups: rlimits inside the jail and a watchdog on its processes.'),
    })
    .prefault({})
    .describe('Per-command limits; a command that reaches one fails its step with STEP_LIMIT.'),
});

const testsSchema = z.strictObject({
  command: commandSchema.nullable().default(null).describe('Test command; {files} is replaced by the test files of a shard.'),
  files: z.array(z.string()).default(['**/*.test.ts', '**/*.spec.ts', '**/*.test.js', '**/*.spec.js', 'test/**/*.test.*']).describe('Globs of test files.'),
  workers: z.number().int().min(1).nullable().default(null).describe('Concurrent shards; null = available cores.'),
  timeoutMs: z.number().int().positive().default(600_000).describe('Kill a test shard after this many ms.'),
  retryFailed: z.boolean().default(true).describe('Re-run a failing shard once; a pass is recorded as flaky.'),
});

const validationSchema = z.strictObject({
  syntax: z
    .strictObject({
      commands: z
        .record(z.string().regex(/^\.[A-Za-z0-9]+$/, 'an extension like ".py"'), commandSchema)
        .default({})
        .describe('Per-extension syntax commands; {file} is replaced by the file path.'),
      timeoutMs: z.number().int().positive().default(30_000).describe('Kill a syntax command after this many ms.'),
    })
    .prefault({})
    .describe('The syntax step: built-in parsers for TS/JS/JSON/YAML/Markdown, plus commands per extension.'),
  typecheck: stepCommandSchema.prefault({}).describe('The typecheck step, e.g. "npx tsc --noEmit".'),
  lint: stepCommandSchema.prefault({}).describe('The lint step; {files} is replaced by the changed files.'),
  tests: testsSchema.prefault({}).describe('The tests step: affected tests first, then the rest in parallel shards.'),
  commands: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), stepCommandSchema).default({}).describe('Named commands usable as command:<name> steps.'),
  parallelSteps: z.boolean().default(true).describe('After the syntax step, run typecheck, lint and tests in parallel (the first failure stops the others); false runs them in order.'),
  allowUnvalidated: z
    .boolean()
    .default(false)
    .describe('Commit a code change that only the syntax step checked (no typecheck, lint or test command ran); false rejects it as NOT_VALIDATED.'),
});

const guardsSchema = z.strictObject({
  protectedPaths: z.array(z.string()).default([]).describe('Globs the agent may never change.'),
  maxFiles: z.number().int().positive().default(10).describe('Largest number of files one plan may change (PATCH_TOO_LARGE).'),
  maxChangedLines: z.number().int().positive().default(400).describe('Largest number of changed lines in one plan (PATCH_TOO_LARGE).'),
  maxFileBytes: z.number().int().positive().default(1_000_000).describe('Largest file a plan may write, in bytes.'),
  maxPlanBytes: z.number().int().positive().default(2_000_000).describe('Most content a plan may carry in total, in bytes.'),
  allowTestEdits: z.boolean().default(false).describe('Allow modifying or deleting existing test files.'),
  allowJudgeEdits: z
    .boolean()
    .default(false)
    .describe("Allow changing the judge's files (test/typecheck/lint configuration, package.json scripts, .npmrc, CI workflows, lockfiles); the change is then validated with the base's judge as well."),
  judgeFiles: z.array(z.string()).default([]).describe("Globs added to the built-in list of the judge's files (README: which files count)."),
});

const strategiesSchema = z.strictObject({
  default: z.string().default('FULL_VALIDATION').describe('Strategy used when neither the rules, the memory nor the Maestro decide.'),
  definitions: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'UPPER_SNAKE_CASE'), strategySchema).default({}).describe('Added to or replacing the built-in strategies.'),
});

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
    llm: llmSchema.prefault({}).describe('The LLM provider, models, retries, cache, rate limits and budget.'),
    git: gitSchema.prefault({}).describe('The evolution branch, remote and commit author.'),
    sandbox: sandboxSchema.prefault({}).describe('The pool of git-worktree sandboxes validation runs in.'),
    validation: validationSchema.prefault({}).describe('The commands of the validation steps (syntax, typecheck, lint, tests, named commands).'),
    strategies: strategiesSchema.prefault({}).describe('Validation strategies: named lists of steps.'),
    guards: guardsSchema.prefault({}).describe('Limits on what a plan may change.'),
    memory: z
      .strictObject({ maxEntries: z.number().int().positive().default(200).describe('Entries kept per list in .hephaestus/memory.json (statistics are always kept).') })
      .prefault({})
      .describe('The agent memory in .hephaestus/memory.json.'),
    log: z
      .strictObject({
        level: z.enum(LOG_LEVELS).default('info').describe('Log level of .hephaestus/hephaestus.log; the terminal shows warnings, or everything with --log-level debug.'),
        file: z.boolean().default(true).describe('Write .hephaestus/hephaestus.log.'),
      })
      .prefault({})
      .describe('The pino log.'),
    architect: z
      .strictObject({
        contextTokens: z
          .number()
          .int()
          .positive()
          .default(24_000)
          .describe('Budget of the whole Architect prompt (instructions, rules, manifest, lessons, files, objective), in tokens of about four characters.'),
        outlineCharacters: z
          .number()
          .int()
          .positive()
          .default(8_000)
          .describe('An import neighbour longer than this (characters) goes into the Architect prompt as an outline (exports, functions, imports), not its full text.'),
        maxReflections: z.number().int().min(0).max(5).default(2).describe('Times an invalid plan is sent back to the model with the precise error.'),
        rulesTokens: z
          .number()
          .int()
          .min(0)
          .default(2_000)
          .describe("Token budget for the repository's own rules in the Architect prompt: a hand-written AGENTS.md, CLAUDE.md, .github/copilot-instructions.md, CONTRIBUTING.md."),
      })
      .prefault({})
      .describe('The Architect, which writes the patch plan.'),
    review: z
      .strictObject({ enabled: z.boolean().default(false).describe('Ask the light model to approve each validated plan before it is committed.') })
      .prefault({})
      .describe('An optional model review of validated plans.'),
    manifest: z
      .strictObject({
        commit: z.boolean().default(true).describe('Put the regenerated AGENTS.md into each commit when the repo tracks it.'),
        path: z.string().default('AGENTS.md').describe('Repository-relative path of the generated manifest.'),
      })
      .prefault({})
      .describe('The generated manifest (file tree, API skeleton, metrics).'),
    scanner: z
      .strictObject({
        maxFileBytes: z.number().int().positive().default(1_000_000).describe('Larger files are listed, not parsed.'),
        exclude: z.array(z.string()).default([]).describe('Globs the scanner leaves out of the manifest and the metrics.'),
      })
      .prefault({})
      .describe('The repository scanner.'),
    objectives: z
      .strictObject({
        maxFailures: z.number().int().positive().default(3).describe('Same objective failing this often is skipped (DEGENERATIVE_LOOP).'),
      })
      .prefault({})
      .describe('Objective selection.'),
    run: z
      .strictObject({
        continuousPauseMs: z.number().int().min(0).default(30_000).describe('Pause between cycles of run --continuous.'),
      })
      .prefault({})
      .describe('Settings of hephaestus run.'),
    prompts: z
      .strictObject({
        dir: z.string().nullable().default(null).describe('Directory with *.md templates overriding the built-in ones.'),
      })
      .prefault({})
      .describe('Prompt templates.'),
    ci: z
      .strictObject({
        maxOpenPrs: z.number().int().min(0).default(1).describe('run --pr opens no new pull request while this many Hephaestus pull requests are open.'),
        maxFilesPerRun: z.number().int().positive().default(30).describe('run --ci stops once its commits changed this many files in total.'),
        maxChangedLinesPerRun: z.number().int().positive().default(1_200).describe('run --ci stops once its commits changed this many lines in total.'),
      })
      .prefault({})
      .describe('Limits of unattended runs (run --ci, run --pr).'),
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

/** The configuration as the agent reads it: read-only, so per-run values are new objects. */
export type Config = DeepReadonly<z.infer<typeof configSchema>>;
export type ConfigInput = z.input<typeof configSchema>;

export function strategiesOf(config: Config): Readonly<Record<string, StrategyDefinition>> {
  return { ...DEFAULT_STRATEGIES, ...config.strategies.definitions };
}
