// The agent's own overhead starts with process start-up: `hephaestus --version` against a bare
// `node -e 0`, side by side. Heavy modules (ts-morph, SDKs) must stay lazily loaded.
import { execa } from 'execa';
import { CLI_PATH } from '../support/run-cli.js';
import { median, sample, type Benchmark } from './bench-kit.js';

const benchmark: Benchmark = {
  name: 'cli start-up',
  async run() {
    const runs = 15;
    const bare = median(await sample(() => execa(process.execPath, ['-e', '0']), runs, 2));
    const cli = median(await sample(() => execa(process.execPath, [CLI_PATH, '--version']), runs, 2));
    return [
      { metric: 'node -e 0 median', value: bare, unit: 'ms' },
      { metric: 'hephaestus --version median', value: cli, unit: 'ms' },
      { metric: 'start-up overhead over bare node', value: cli - bare, unit: 'ms', target: '<= 150 ms', met: cli - bare <= 150 },
    ];
  },
};
export default benchmark;
