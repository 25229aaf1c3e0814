// Shared parts of the fleet tests: projects planned by the fake LLM server, `hephaestus worker`
// child processes, and waiting on a repository's report stream with blocking reads (events,
// not delays).
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { ResultPromise } from 'execa';
import { runGit } from '../../agent/git/git-environment.js';
import { waitForReports, type FleetReport } from '../../agent/fleet/fleet-reports.js';
import { defaultRuntime, runCli } from '../../agent/cli/program.js';
import { spawnCli } from '../support/run-cli.js';
import type { FakeLlmServer } from '../support/fake-llm-server.js';
import type { TempRepo } from '../support/temp-repo.js';
import { TEST_API_KEY, makeNodeProject, planReply, scriptRoles } from '../cycle/cycle-kit.js';

export const BRANCH = 'hephaestus/evolve';

/** The commits on the evolution branch, oldest first. */
export async function branchCommits(repoRoot: string): Promise<string[]> {
  const text = (await runGit(repoRoot, ['log', '--reverse', '--format=%H', `main..${BRANCH}`])).stdout;
  return text === '' ? [] : text.split('\n');
}

/** A node project planned by the fake LLM server, where every Architect call adds a README line
 *  (docs-only: DOC_UPDATE validates it at once, so cycles are quick). */
export async function makeFleetProject(server: FakeLlmServer): Promise<TempRepo> {
  const repo = await makeNodeProject(server);
  await writeFile(path.join(repo.root, '.gitignore'), '.hephaestus/\n');
  await repo.commitAll('ignore state');
  return repo;
}

export function scriptReadmeLines(server: FakeLlmServer, latencyMs = 0): void {
  let count = 0;
  scriptRoles(server, () => ({ ...planReply([{ operation: 'INSERT', file_path: 'README.md', content: `\nLine ${++count}.\n` }]), latencyMs }));
}

/** Runs the CLI in this process; returns exit code and printed lines. */
export async function runFleetCli(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const runtime = { ...defaultRuntime(new AbortController().signal), io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) } };
  const exitCode = await runCli(args, runtime);
  return { exitCode, stdout: out.join('\n'), stderr: err.join('\n') };
}

export interface WorkerProcess {
  child: ResultPromise;
  /** Lines printed on stdout so far. */
  lines: string[];
  waitForLine(pattern: RegExp): Promise<string>;
}

export function startWorkerProcess(redisUrl: string, cacheDir: string, options: { lockMs?: number; concurrency?: number } = {}): WorkerProcess {
  const child = spawnCli(['worker', '--redis', redisUrl, '--cache-dir', cacheDir, '--lock-ms', String(options.lockMs ?? 4_000), '--concurrency', String(options.concurrency ?? 1)], { timeoutMs: 300_000, env: { OPENAI_API_KEY: TEST_API_KEY } });
  child.catch(() => undefined);
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve(line: string): void }> = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      for (const waiter of waiters.splice(0)) {
        if (waiter.pattern.test(line)) waiter.resolve(line);
        else waiters.push(waiter);
      }
    }
  });
  return {
    child,
    lines,
    waitForLine(pattern) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return Promise.race([
        new Promise<string>((resolve) => waiters.push({ pattern, resolve })),
        once(child, 'exit').then(([code]) => {
          throw new Error(`the worker exited (${code}) before printing ${pattern}:\n${lines.join('\n')}`);
        }),
      ]);
    },
  };
}

export async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  const exited = once(worker.child, 'exit');
  worker.child.kill('SIGTERM');
  await exited;
}

/** Reads the repository's stream from the start until `done` holds for the reports seen. */
export async function waitForRepositoryReports(redisUrl: string, repositoryId: string, done: (reports: FleetReport[]) => boolean): Promise<FleetReport[]> {
  const redis = new Redis(redisUrl);
  try {
    const reports: FleetReport[] = [];
    let lastId = '0';
    while (!done(reports)) {
      for (const stored of await waitForReports(redis, repositoryId, lastId, 5_000)) {
        reports.push(stored.report);
        lastId = stored.id;
      }
    }
    return reports;
  } finally {
    redis.disconnect();
  }
}

/** The commits the cycle records report, in order. */
export function reportedCommits(reports: readonly FleetReport[]): string[] {
  return reports.flatMap((report) => (report.type === 'cycle' && report.record.commit !== null ? [report.record.commit] : []));
}

/** Each run's [start, end] from its run-started and run-finished reports, by job and attempt. */
export function runIntervals(reports: readonly FleetReport[]): Array<{ jobId: string; worker: string; start: number; end: number | null }> {
  const intervals: Array<{ jobId: string; attempt: number; worker: string; start: number; end: number | null }> = [];
  for (const report of reports) {
    if (report.type === 'run-started') intervals.push({ jobId: report.jobId, attempt: report.attempt, worker: report.worker, start: report.at, end: null });
    if (report.type === 'run-finished' || report.type === 'run-failed' || report.type === 'run-released') {
      const open = intervals.find((interval) => interval.jobId === report.jobId && interval.attempt === report.attempt && interval.end === null);
      if (open) open.end = report.at;
    }
  }
  return intervals.map(({ attempt: _attempt, ...interval }) => interval);
}
