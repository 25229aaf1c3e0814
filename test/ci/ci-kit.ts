// Unattended runs against a real remote: a bare repository as `origin` in a temp dir, a fake
// `gh` executable (a real child process that records its argv and answers like gh), a PATH
// without any real gh, and the run itself in process through the library (runCiCycles) or, for
// the one end-to-end test, as `hephaestus run --ci` in a child process.
import { access, chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { runCiCycles, type CiCyclesOptions, type CiSummary } from '../../agent/ci/run-ci-cycles.js';
import { runGit } from '../../agent/git/git-environment.js';
import type { FakeLlmServer } from '../support/fake-llm-server.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { makeTempDir, type TempRepo } from '../support/temp-repo.js';
import { TEST_API_KEY, makeNodeProject, openTestAgent, planReply, scriptRoles } from '../cycle/cycle-kit.js';

/** Objectives go on the queue in process (what `hephaestus objective add` does). */
export { queueObjectives } from '../cycle/cycle-kit.js';

export const BRANCH = 'hephaestus/evolve';
/** The pull request's title after one committed cycle. */
export const ONE_COMMIT_TITLE = `Hephaestus: 1 validated commit on ${BRANCH}`;

export interface RemoteProject {
  repo: TempRepo;
  /** The bare repository serving as `origin`. */
  origin: string;
  /** Holds the bare repository and anything else the test makes; removed by remove(). */
  dir: string;
  remove(): Promise<void>;
}

/** A node project whose `origin` is a local bare repository holding its `main`. */
export async function makeRemoteProject(server: FakeLlmServer, extraConfig: Record<string, unknown> = {}): Promise<RemoteProject> {
  const repo = await makeNodeProject(server, extraConfig);
  const dir = await makeTempDir('hephaestus-remote-');
  const origin = path.join(dir, 'origin.git');
  await runGit(dir, ['init', '-q', '--bare', '-b', 'main', origin]);
  await repo.git('remote', 'add', 'origin', origin);
  await repo.git('push', '-q', 'origin', 'main');
  return {
    repo,
    origin,
    dir,
    async remove() {
      await repo.remove();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `git` in the bare repository. */
export async function originGit(project: RemoteProject, ...args: string[]): Promise<string> {
  return (await runGit(project.origin, args)).stdout;
}

/** The remote's tip of `branch`, or null when it has none. */
export async function originTip(project: RemoteProject, branch = BRANCH): Promise<string | null> {
  const result = await runGit(project.origin, ['rev-parse', '--verify', '-q', `refs/heads/${branch}`], { allowFailure: true });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** Someone else pushes a commit to `branch` on the remote (from their own clone). */
export async function pushAsSomeoneElse(project: RemoteProject, file: string, content: string, branch = BRANCH): Promise<string> {
  const clone = path.join(project.dir, `someone-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  await runGit(project.dir, ['clone', '-q', project.origin, clone]);
  const exists = (await runGit(clone, ['rev-parse', '--verify', '-q', `refs/remotes/origin/${branch}`], { allowFailure: true })).exitCode === 0;
  await runGit(clone, ['checkout', '-q', '-b', branch, exists ? `origin/${branch}` : 'origin/main']);
  await mkdir(path.dirname(path.join(clone, file)), { recursive: true });
  await writeFile(path.join(clone, file), content);
  await runGit(clone, ['add', '-A']);
  await runGit(clone, ['commit', '-q', '-m', `someone else: ${file}`]);
  await runGit(clone, ['push', '-q', 'origin', `${branch}:${branch}`]);
  return (await runGit(clone, ['rev-parse', 'HEAD'])).stdout.trim();
}

/** Every Architect call appends one README line (docs-only, so DOC_UPDATE validates fast). */
export function scriptReadmeLines(server: FakeLlmServer, label: string): void {
  let count = 0;
  scriptRoles(server, () => planReply([{ operation: 'INSERT', file_path: 'README.md', content: `\n${label} line ${++count}.\n` }]));
}

/** PATH without any directory that holds a `gh`, so "gh is not installed" holds on any machine. */
export async function pathWithoutGh(): Promise<string> {
  const entries = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const kept: string[] = [];
  for (const entry of entries) {
    const hasGh = await access(path.join(entry, 'gh')).then(
      () => true,
      () => false,
    );
    if (!hasGh) kept.push(entry);
  }
  return kept.join(path.delimiter);
}

export interface FakeGh {
  /** Directory to put first on PATH. */
  bin: string;
  /** The `gh` in it, for runCiCycles' `gh` option. */
  executable: string;
  /** Open pull requests `gh pr list` reports. */
  setOpenPullRequests(pullRequests: Array<{ number: number; url: string; headRefName: string }>): Promise<void>;
  /** Makes `gh auth status` fail like it does without a token. */
  logOut(): Promise<void>;
  /** Every call: its argv, and the body file's text when --body-file was given. */
  calls(): Promise<Array<{ argv: string[]; body?: string }>>;
}

const FAKE_GH_SOURCE = `
const { appendFileSync, existsSync, readFileSync } = require('node:fs');
const path = require('node:path');
const dir = __dirname;
const argv = process.argv.slice(2);
const record = { argv };
const bodyIndex = argv.indexOf('--body-file');
if (bodyIndex >= 0) record.body = readFileSync(argv[bodyIndex + 1], 'utf8');
appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify(record) + '\\n');
const [command, sub] = argv;
if (command === '--version') { process.stdout.write('gh version 2.99.0 (fake)\\n'); process.exit(0); }
if (command === 'auth' && sub === 'status' && existsSync(path.join(dir, 'logged-out'))) { process.stderr.write('You are not logged into any GitHub hosts. To log in, run: gh auth login\\n'); process.exit(1); }
if (command === 'auth' && sub === 'status') { process.stderr.write('github.com\\n  Logged in to github.com account hephaestus-bot (GH_TOKEN)\\n'); process.exit(0); }
if (command === 'pr' && sub === 'list') { process.stdout.write(readFileSync(path.join(dir, 'open-prs.json'), 'utf8')); process.exit(0); }
if (command === 'pr' && sub === 'create') { process.stdout.write('https://github.com/acme/widget/pull/7\\n'); process.exit(0); }
if (command === 'pr' && sub === 'edit') { process.stdout.write('https://github.com/acme/widget/pull/' + argv[2] + '\\n'); process.exit(0); }
process.stderr.write('fake gh: unknown command ' + argv.join(' ') + '\\n');
process.exit(1);
`;

/** Writes an executable `gh` (a node script) into `dir`/bin. */
export async function makeFakeGh(dir: string): Promise<FakeGh> {
  const bin = path.join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  const script = path.join(bin, 'gh');
  await writeFile(script, `#!${process.execPath}\n${FAKE_GH_SOURCE}`);
  await chmod(script, 0o755);
  // The script is CommonJS; keep it so even inside a "type": "module" tree.
  await writeFile(path.join(bin, 'package.json'), '{ "type": "commonjs" }\n');
  const fake: FakeGh = {
    bin,
    executable: script,
    async setOpenPullRequests(pullRequests) {
      await writeFile(path.join(bin, 'open-prs.json'), JSON.stringify(pullRequests));
    },
    async logOut() {
      await writeFile(path.join(bin, 'logged-out'), '');
    },
    async calls() {
      const text = await readFile(path.join(bin, 'calls.jsonl'), 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { argv: string[]; body?: string });
    },
  };
  await fake.setOpenPullRequests([]);
  return fake;
}

/**
 * An unattended run in process, as `hephaestus run --ci` makes it: the repository's config with
 * the unattended guards, the per-run limits, then push and pull request as asked; the agent is
 * closed after. Fails as the command would before any cycle; a failed push is `publishError`.
 */
export async function runCi(root: string, options: CiCyclesOptions & { logger?: Logger } = {}): Promise<CiSummary> {
  const { logger, ...ci } = options;
  const agent = await openTestAgent(root, { unattended: true, ...(logger ? { logger } : {}) });
  try {
    return await runCiCycles(agent, { cycles: 1, ...ci });
  } finally {
    await agent.close();
  }
}

export interface CiCommandResult extends CliResult {
  summary: any;
}

/** `hephaestus run --ci` as a child process; the summary is stdout's one JSON object. */
export async function runCiCommand(root: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CiCommandResult> {
  const result = await runCli(['run', '--repo', root, '--ci', ...args], { env: { OPENAI_API_KEY: TEST_API_KEY, ...env }, timeoutMs: 120_000 });
  let summary: any = null;
  try {
    summary = result.stdout.trim() === '' ? null : JSON.parse(result.stdout);
  } catch {
    throw new Error(`stdout is not one JSON object (exit ${result.exitCode}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
  }
  return { ...result, summary };
}

/** The human-readable lines of stderr (pino's JSON lines left out). */
export function notesOf(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
}
