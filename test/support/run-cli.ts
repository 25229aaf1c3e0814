// Runs the compiled `hephaestus` CLI as a real child process (npm test builds it first).
import { execa, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';

export const CLI_PATH = fileURLToPath(new URL('../../dist/agent/cli/main.js', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Environment for CLI children: no provider keys from the developer's shell leak into tests. */
export function cliEnvironment(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const environment: Record<string, string | undefined> = { ...process.env, OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined, HEPHAESTUS_LLM_PROVIDER: undefined, HEPHAESTUS_LLM_BASE_URL: undefined, HEPHAESTUS_LOG_LEVEL: undefined, NO_COLOR: '1' };
  return { ...environment, ...extra };
}

export async function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: cliEnvironment(options.env),
    extendEnv: false,
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export function spawnCli(args: string[], options: RunCliOptions = {}): ResultPromise {
  return execa(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: cliEnvironment(options.env),
    extendEnv: false,
    reject: false,
  });
}
