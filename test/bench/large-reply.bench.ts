// Resident memory of `hephaestus run` when the model answers with a plan writing a 50 MB
// one-line file, beside the same run with a small plan and with a 5 MB one (under
// llm.maxReplyBytes, over what guards.maxPlanBytes lets a reply carry: refused unparsed).
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeLlmServer } from '../support/fake-llm-server.js';
import { makeNodeProject, planReply, scriptRoles, TEST_API_KEY } from '../cycle/cycle-kit.js';
import { CLI_PATH, cliEnvironment } from '../support/run-cli.js';
import type { Benchmark } from './bench-kit.js';

/** Written by the CLI process itself at exit: getrusage's peak resident set, in kilobytes. */
const MAX_RSS_HOOK = "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.MAX_RSS_FILE, String(process.resourceUsage().maxRSS)));\n";

async function peakResidentMegabytes(contentBytes: number): Promise<{ megabytes: number; reason: string | null }> {
  const server = await startFakeLlmServer();
  const repo = await makeNodeProject(server);
  const directory = await mkdtemp(path.join(os.tmpdir(), 'hephaestus-rss-'));
  try {
    const content = `export const data = "${'x'.repeat(contentBytes)}";\n`;
    scriptRoles(server, () => planReply([{ operation: 'REPLACE', file_path: 'src/data.js', block_to_replace: null, content }]));
    const hook = path.join(directory, 'max-rss.mjs');
    await writeFile(hook, MAX_RSS_HOOK);
    const env = cliEnvironment({ OPENAI_API_KEY: TEST_API_KEY, MAX_RSS_FILE: path.join(directory, 'max-rss') });
    await execa(process.execPath, [CLI_PATH, 'objective', 'add', 'Add the data table', '--repo', repo.root], { env, extendEnv: false });
    const run = await execa(process.execPath, ['--import', hook, CLI_PATH, 'run', '--repo', repo.root, '--json', '--cycles', '1'], { env, extendEnv: false, reject: false });
    const reason = (JSON.parse(String(run.stdout)) as { cycles: Array<{ reason: string | null }> }).cycles[0]?.reason ?? null;
    return { megabytes: Number(await readFile(path.join(directory, 'max-rss'), 'utf8')) / 1024, reason };
  } finally {
    await server.close();
    await repo.remove();
    await rm(directory, { recursive: true, force: true });
  }
}

const benchmark: Benchmark = {
  name: 'large model reply',
  async run() {
    const small = await peakResidentMegabytes(1_000);
    const medium = await peakResidentMegabytes(5 * 1024 * 1024);
    const large = await peakResidentMegabytes(50 * 1024 * 1024);
    for (const [size, run] of [['5 MB', medium], ['50 MB', large]] as const) {
      if (run.reason === null || run.reason === 'none') throw new Error(`the ${size} plan was not refused`);
    }
    return [
      { metric: 'peak RSS, run with a 1 KB plan', value: small.megabytes, unit: 'MB' },
      { metric: `peak RSS, 5 MB one-line plan (${medium.reason})`, value: medium.megabytes, unit: 'MB' },
      { metric: `peak RSS, 50 MB one-line plan (${large.reason})`, value: large.megabytes, unit: 'MB', target: '<= 1 KB run + 100 MB', met: large.megabytes <= small.megabytes + 100 },
    ];
  },
};
export default benchmark;
