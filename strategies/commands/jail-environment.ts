// The environment of a jailed command: an allow-list of the agent's variables, never the
// whole of it, so API keys, tokens and cloud credentials cannot reach model-written code.
// What a project needs beyond the list comes from `sandbox.env` or a step's own inputs.

/** Variables copied from the agent's environment when set. `LC_*` is matched by prefix. */
export const ALLOWED_VARIABLES: readonly string[] = ['PATH', 'LANG', 'LANGUAGE', 'TZ', 'TERM', 'CI', 'NODE_ENV'];
const ALLOWED_PREFIXES: readonly string[] = ['LC_'];

export interface JailEnvironmentInput {
  /** The agent's environment (process.env). */
  base: NodeJS.ProcessEnv;
  /** The empty home directory of the jail. */
  home: string;
  /** `sandbox.env` and per-command variables; they win over the allow-listed ones. */
  extra?: Readonly<Record<string, string>>;
}

export function jailEnvironment(input: JailEnvironmentInput): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.base)) {
    if (value === undefined) continue;
    if (ALLOWED_VARIABLES.includes(name) || ALLOWED_PREFIXES.some((prefix) => name.startsWith(prefix))) environment[name] = value;
  }
  environment.HOME = input.home;
  environment.TMPDIR = '/tmp';
  // Colours off so output tails stay readable.
  environment.NO_COLOR = '1';
  Object.assign(environment, input.extra ?? {});
  return environment;
}
