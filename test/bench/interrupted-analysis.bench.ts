// How fast Ctrl-C ends `hephaestus run --offline` while the offline engine's language-service
// analysis runs (in a worker thread): the time from typing Ctrl-C on a pseudo-terminal to the
// process's exit, and how many times the spinner redrew between the analysis start and Ctrl-C.
import { median, type Benchmark } from './bench-kit.js';
import { framesDuringAnalysis, interruptAnalysis, makeSlowAnalysisRepo } from '../support/interrupted-analysis.js';

const benchmark: Benchmark = {
  name: 'Ctrl-C during the offline analysis',
  async run() {
    const repo = await makeSlowAnalysisRepo();
    const times: number[] = [];
    const frames: number[] = [];
    try {
      for (let index = 0; index < 3; index++) {
        const run = await interruptAnalysis(repo);
        if (run.exitCode !== 130 || run.inputToExitMs === null) throw new Error(`the interrupted run exited ${run.exitCode}, expected 130`);
        times.push(run.inputToExitMs);
        frames.push(framesDuringAnalysis(run.beforeInterrupt).length);
      }
    } finally {
      await repo.remove();
    }
    const time = median(times);
    return [
      { metric: 'Ctrl-C to exit median (3 runs)', value: time, unit: 'ms', target: '<= 200 ms', met: time <= 200 },
      { metric: 'Ctrl-C to exit slowest', value: Math.max(...times), unit: 'ms' },
      { metric: 'spinner redraws during the analysis before Ctrl-C (median)', value: median(frames), unit: 'count' },
    ];
  },
};
export default benchmark;
