// What the jail costs: the same command and the same cycle with isolation "bwrap" and "none",
// side by side in one run (alternated, each round in another order).
//  - `node -e 0` jailed minus unjailed (both through the jailed runner: same environment and
//    limits; only the bubblewrap jail differs): target ≤ 50 ms per command; the same with
//    sandbox.limits.mechanism "rlimit" (prlimit in the jail and the process watchdog);
//  - one cycle of the bench repository (Architect at 500 ms, a 1 s suite): target ≤ 5 %.
import { rm } from 'node:fs/promises';
import { runJailed } from '../../strategies/commands/run-jailed.js';
import { DEFAULT_JAIL, type JailSettings, type LimitMechanismSetting } from '../../strategies/commands/jail-settings.js';
import { runCommand } from '../../strategies/commands/run-command.js';
import { startFakeLlmServer } from '../support/fake-llm-server.js';
import { makeTempDir } from '../support/temp-repo.js';
import { median, type Benchmark } from './bench-kit.js';
import { configPlan, project, runOnce } from './cycle.bench.js';

const COMMAND_ROUNDS = 30;
const CYCLE_ROUNDS = 3;

const benchmark: Benchmark = {
  name: 'jail',
  async run() {
    const dir = await makeTempDir('hephaestus-jail-bench-');
    const signal = new AbortController().signal;
    const jail = (isolation: JailSettings['isolation'], mechanism: LimitMechanismSetting = 'auto'): JailSettings => ({ ...DEFAULT_JAIL, isolation, writablePaths: [dir], limits: { ...DEFAULT_JAIL.limits, mechanism } });
    const timed = async (run: () => Promise<{ outcome: string }>) => {
      const started = performance.now();
      const result = await run();
      if (result.outcome !== 'passed') throw new Error(`node -e 0 ended ${result.outcome}`);
      return performance.now() - started;
    };
    const plain: number[] = [];
    const unjailed: number[] = [];
    const jailed: number[] = [];
    const unjailedRlimit: number[] = [];
    const jailedRlimit: number[] = [];
    const variants = [
      { samples: plain, run: () => runCommand(['node', '-e', '0'], { cwd: dir, timeoutMs: 30_000, signal }) },
      { samples: unjailed, run: () => runJailed(['node', '-e', '0'], { jail: jail('none'), cwd: dir, timeoutMs: 30_000, signal }) },
      { samples: jailed, run: () => runJailed(['node', '-e', '0'], { jail: jail('bwrap'), cwd: dir, timeoutMs: 30_000, signal }) },
      { samples: unjailedRlimit, run: () => runJailed(['node', '-e', '0'], { jail: jail('none', 'rlimit'), cwd: dir, timeoutMs: 30_000, signal }) },
      { samples: jailedRlimit, run: () => runJailed(['node', '-e', '0'], { jail: jail('bwrap', 'rlimit'), cwd: dir, timeoutMs: 30_000, signal }) },
    ];
    for (let round = 0; round <= COMMAND_ROUNDS; round++) {
      // Each round starts with another variant, so none always runs first (after a pause) or last.
      for (let index = 0; index < variants.length; index++) {
        const variant = variants[(round + index) % variants.length]!;
        const sample = await timed(variant.run);
        // Round 0 warms up (the jail probe, cgroup discovery, the page cache).
        if (round > 0) variant.samples.push(sample);
      }
    }
    const perCommand = median(jailed) - median(unjailed);
    const perCommandRlimit = median(jailedRlimit) - median(unjailedRlimit);

    const server = await startFakeLlmServer({ defaultLatencyMs: 500 });
    let planNumber = 0;
    server.respondWith(() => ({ text: configPlan(`setting-${++planNumber}`) }));
    const cycles: Record<'none' | 'bwrap', number[]> = { none: [], bwrap: [] };
    try {
      for (let round = 0; round < CYCLE_ROUNDS; round++) {
        for (const isolation of round % 2 === 0 ? (['none', 'bwrap'] as const) : (['bwrap', 'none'] as const)) {
          const repo = await project();
          cycles[isolation].push(...(await runOnce(server, repo, { cycles: 1, candidates: 1, objective: 'Add a setting', isolation })).cycleTimes);
          await repo.remove();
        }
      }
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
    const cycleNone = median(cycles.none);
    const cycleJailed = median(cycles.bwrap);
    const cycleOverhead = ((cycleJailed - cycleNone) / cycleNone) * 100;
    return [
      { metric: '`node -e 0` plain runCommand, median', value: median(plain), unit: 'ms' },
      { metric: '`node -e 0` isolation none (env + limits), median', value: median(unjailed), unit: 'ms' },
      { metric: '`node -e 0` in the bwrap jail, median', value: median(jailed), unit: 'ms' },
      { metric: 'jail overhead per command (bwrap - none)', value: perCommand, unit: 'ms', target: '<= 50 ms', met: perCommand <= 50 },
      { metric: '`node -e 0` isolation none, limits by rlimit, median', value: median(unjailedRlimit), unit: 'ms' },
      { metric: '`node -e 0` in the bwrap jail, limits by rlimit, median', value: median(jailedRlimit), unit: 'ms' },
      { metric: 'jail overhead per command, limits by rlimit (bwrap - none)', value: perCommandRlimit, unit: 'ms', target: '<= 50 ms', met: perCommandRlimit <= 50 },
      { metric: 'limits by rlimit instead of auto, in the jail', value: median(jailedRlimit) - median(jailed), unit: 'ms' },
      { metric: 'one cycle, isolation none, median', value: cycleNone, unit: 'ms' },
      { metric: 'one cycle, bwrap jail, median', value: cycleJailed, unit: 'ms' },
      { metric: 'jail overhead per cycle', value: cycleOverhead, unit: '%', target: '<= 5 %', met: cycleOverhead <= 5 },
    ];
  },
};
export default benchmark;
