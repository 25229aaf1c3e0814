// Unattended guards of `run --ci`: workflows, the config and lockfiles are protected even when
// the user's config does not say so, and the per-run change limits stop the run.
import { describe, expect, it } from 'vitest';
import { unattendedConfig } from '../../agent/ci/unattended-config.js';
import { remainingGuards, runLimitReached } from '../../agent/ci/run-change-limits.js';
import { configSchema } from '../../agent/config/schema.js';
import { runCiCycles } from '../../agent/ci/run-ci-cycles.js';
import { makeNodeProject, openTestAgent, planReply, queueObjectives, scriptRoles, useCycleBench } from '../cycle/cycle-kit.js';
import { runCi, scriptReadmeLines } from './ci-kit.js';

const bench = useCycleBench();

describe('unattended config', () => {
  it('adds the protected paths and caps the per-cycle size guards by the per-run limits', () => {
    const config = configSchema.parse({
      guards: { protectedPaths: ['migrations/**', '.github/**'], maxFiles: 50, maxChangedLines: 300 },
      ci: { maxFilesPerRun: 20, maxChangedLinesPerRun: 1000 },
    });
    const unattended = unattendedConfig(config, { repoRoot: '/repo', configFile: '/repo/config/hephaestus.ci.json' });
    expect(unattended.guards).toEqual({
      protectedPaths: [
        'migrations/**',
        '.github/**',
        'hephaestus.config.json',
        '**/package-lock.json',
        '**/npm-shrinkwrap.json',
        '**/yarn.lock',
        '**/pnpm-lock.yaml',
        '**/bun.lockb',
        '**/poetry.lock',
        '**/uv.lock',
        '**/Pipfile.lock',
        'config/hephaestus.ci.json',
      ],
      maxFiles: 20,
      maxChangedLines: 300,
      maxFileBytes: 1_000_000,
      maxPlanBytes: 2_000_000,
      // Kept as configured: false by default, true only when the user opted in.
      allowTestEdits: false,
      allowJudgeEdits: false,
      judgeFiles: [],
    });
    expect(config.guards.protectedPaths).toEqual(['migrations/**', '.github/**']);
    expect(unattendedConfig(configSchema.parse({ guards: { allowTestEdits: true } }), { repoRoot: '/repo', configFile: null }).guards.allowTestEdits).toBe(true);
  });

  it('stops at the per-run limits and narrows the next cycle to what is left', () => {
    const limits = { maxFiles: 5, maxChangedLines: 100 };
    const guards = configSchema.parse({}).guards;
    expect(runLimitReached({ files: 4, changedLines: 99 }, limits)).toBeNull();
    expect(runLimitReached({ files: 5, changedLines: 10 }, limits)).toBe('ci.maxFilesPerRun 5 reached (5 files changed by this run)');
    expect(runLimitReached({ files: 1, changedLines: 100 }, limits)).toBe('ci.maxChangedLinesPerRun 100 reached (100 lines changed by this run)');
    expect(remainingGuards(guards, { files: 2, changedLines: 40 }, limits)).toEqual({ maxFiles: 3, maxChangedLines: 60 });
  });
});

describe('the guards of an unattended run (runCiCycles, as run --ci)', () => {
  it('protects workflows and lockfiles although the config does not list them', async () => {
    const repo = bench.use(await makeNodeProject(bench.server, { architect: { maxReflections: 0 } }));
    await repo.write('package-lock.json', '{}\n');
    await repo.commitAll('lockfile');
    scriptRoles(bench.server, () =>
      planReply([
        { operation: 'REPLACE', file_path: '.github/workflows/ci.yml', block_to_replace: null, content: 'name: ci\n' },
        { operation: 'REPLACE', file_path: 'package-lock.json', block_to_replace: '{}', content: '{"lockfileVersion": 3}' },
      ]),
    );
    await queueObjectives(repo.root, 'Add a CI workflow');
    const result = await runCi(repo.root);
    const [cycle] = result.cycles;
    expect([cycle?.outcome, cycle?.reason, result.publishError]).toEqual(['rejected', 'ARCHITECT_FAILED', null]);
    expect(cycle?.detail).toContain('.github/workflows/ci.yml is protected by the configuration (guards.protectedPaths)');
    expect(cycle?.detail).toContain('package-lock.json is protected by the configuration (guards.protectedPaths)');
    expect(await repo.git('branch', '--list', 'hephaestus/evolve')).toBe('');
  });

  it('is refused on an agent opened without the unattended guards, before anything runs', async () => {
    const repo = bench.use(await makeNodeProject(bench.server));
    const agent = bench.use(await openTestAgent(repo.root));
    const error = await runCiCycles(agent).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'HEPHAESTUS_CONFIG_INVALID',
      message:
        "runCiCycles: the agent's config lacks the unattended guards (.github/**, **/package-lock.json, **/npm-shrinkwrap.json, **/yarn.lock, **/pnpm-lock.yaml, **/bun.lockb, **/poetry.lock, **/uv.lock, **/Pipfile.lock are not in guards.protectedPaths). " +
        'Create the agent with config: unattendedConfig(config, { repoRoot, configFile }), or pass limitRun: false.',
    });
    expect(bench.server.requests).toEqual([]);
    expect(await repo.git('branch', '--list', 'hephaestus/evolve')).toBe('');
  });

  it('stops the run once ci.maxFilesPerRun is reached', async () => {
    const repo = bench.use(await makeNodeProject(bench.server, { ci: { maxFilesPerRun: 1 } }));
    scriptReadmeLines(bench.server, 'Run');
    await queueObjectives(repo.root, 'Describe the project in README.md', 'Say more in README.md');
    const result = await runCi(repo.root, { cycles: 3 });
    expect(result.cycles.map((cycle) => cycle.outcome)).toEqual(['committed']);
    expect(result.stopReason).toBe('ci.maxFilesPerRun 1 reached (1 file changed by this run)');
    expect(result.runChange).toEqual({ files: 1, changedLines: 2 });
  });
});
