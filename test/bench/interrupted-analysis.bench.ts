// How fast Ctrl-C ends `hephaestus run --offline` while the offline engine's language-service
// analysis runs (in a worker thread): the time from typing Ctrl-C on a pseudo-terminal to the
// process's exit, and the longest wait between two spinner redraws while the analysis ran.
import { median, type Benchmark } from './bench-kit.js';
import { ANALYSIS_FINISHED, framesDuringAnalysis, interruptAnalysis, longestRedrawGapMs, makeSlowAnalysisRepo } from '../support/interrupted-analysis.js';

const benchmark: Benchmark = {
  name: 'Ctrl-C during the offline analysis',
  async run() {
    const repo = await makeSlowAnalysisRepo();
    const times: number[] = [];
    const frames: number[] = [];
    const gaps: number[] = [];
    try {
      for (let index = 0; index < 3; index++) {
        // About two seconds of redraws while the worker analyses, then Ctrl-C.
        const run = await interruptAnalysis(repo, { frames: 20 });
        if (run.exitCode !== 130 || run.inputToExitMs === null) throw new Error(`the interrupted run exited ${run.exitCode}, expected 130`);
        if (ANALYSIS_FINISHED.test(run.beforeInterrupt)) throw new Error('the analysis finished before Ctrl-C; the repository is too small for this machine');
        times.push(run.inputToExitMs);
        frames.push(framesDuringAnalysis(run.beforeInterrupt).length);
        gaps.push(longestRedrawGapMs(run.beforeInterrupt));
      }
    } finally {
      await repo.remove();
    }
    const time = median(times);
    return [
      { metric: 'Ctrl-C to exit median (3 runs)', value: time, unit: 'ms', target: '<= 200 ms', met: time <= 200 },
      { metric: 'Ctrl-C to exit slowest', value: Math.max(...times), unit: 'ms' },
      { metric: 'spinner redraws during the analysis before Ctrl-C (median)', value: median(frames), unit: 'count' },
      { metric: 'longest wait between two redraws during the analysis (0.1 s steps)', value: Math.max(...gaps), unit: 'ms', target: '<= 200 ms', met: Math.max(...gaps) <= 200 },
    ];
  },
};
export default benchmark;
