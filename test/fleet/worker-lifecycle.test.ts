// A worker's life beyond plain runs, with real `hephaestus worker` processes on a real
// redis-server: a `fleet add --schedule` job scheduler fires and a worker runs its job to the end
// (with the repository's llm.cache.ttlMs on the shared cache's keys); a worker told SIGTERM
// mid-job ends the cycle, releases the job and the repository, exits 0, and the other worker
// completes the job with nothing committed twice and nothing left behind.
import { once } from 'node:events';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addRepository } from '../../agent/fleet/add-repository.js';
import { repositoryLockKey } from '../../agent/fleet/fleet-keys.js';
import { runGit } from '../../agent/git/git-environment.js';
import type { TempRepo } from '../support/temp-repo.js';
import { branchCommits, makeFleetProject, reportedCommits, runFleetCli, runIntervals, scriptReadmeLines, waitForRepositoryReports } from './fleet-kit.js';
import { jobUnderWay, useFleetHarness } from './fleet-harness.js';

const fleet = useFleetHarness();

/** What a run may leave in the repository: at most its pool's detached, unlocked worktrees under
 *  .hephaestus/worktrees (reset when next used), and no run lock. */
async function leftovers(repository: TempRepo): Promise<{ outsidePool: string[]; poolWorktrees: number; runLock: boolean }> {
  const listed = (await runGit(repository.root, ['worktree', 'list', '--porcelain'])).stdout.split('\n\n').filter((block) => block.trim() !== '');
  const others = listed.filter((block) => !block.startsWith(`worktree ${repository.root}\n`));
  const inPool = (block: string) => block.startsWith(`worktree ${path.join(repository.root, '.hephaestus', 'worktrees')}/`) && block.includes('\ndetached') && !block.includes('\nlocked') && !block.includes('\nprunable');
  const runLock = (await readdir(path.join(repository.root, '.hephaestus'))).includes('run.lock');
  return { outsidePool: others.filter((block) => !inPool(block)), poolWorktrees: others.filter(inPool).length, runLock };
}

describe('a scheduled repository', () => {
  it('fleet add --schedule: the job scheduler fires, a worker runs the job to completion, its replies cached with the repository\'s ttlMs', { timeout: 240_000 }, async () => {
    const { redisServer, llm, redis, queue, repositories } = fleet;
    scriptReadmeLines(llm);
    const repository = await makeFleetProject(llm);
    repositories.push(repository);
    const configFile = path.join(repository.root, 'hephaestus.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8'));
    config.llm.cache = { ttlMs: 3_600_000 };
    await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
    await repository.commitAll('cache replies for an hour');
    await fleet.startWorkers(1);

    // Fires once a minute, at a second a few seconds from now (cron with seconds, local time as BullMQ reads it).
    const second = (new Date().getSeconds() + 3) % 60;
    const added = await runFleetCli(['fleet', 'add', '--repo', repository.root, '--schedule', `${second} * * * * *`, '--json', '--redis', redisServer.url]);
    expect(added.exitCode).toBe(0);
    const { id, jobId } = JSON.parse(added.stdout) as { id: string; jobId: string | null };
    expect(jobId).toBeNull();

    const reports = await waitForRepositoryReports(redisServer.url, id, (seen) => seen.some((report) => report.type === 'run-finished'));
    const finished = reports.find((report) => report.type === 'run-finished')!;
    expect(finished.jobId).toMatch(new RegExp(`^repeat:${id}:\\d+$`));
    expect(finished.committed).toBe(1);
    const commits = await branchCommits(repository.root);
    expect(commits.length).toBe(1);
    expect(reportedCommits(reports)).toEqual(commits);
    expect((await queue.getJob(finished.jobId))?.returnvalue).toEqual({ committed: 1, cycles: 1, stopReason: null, pushed: null });
    // The scheduler goes on: the next run is queued for a minute later.
    const [scheduler] = await queue.getJobSchedulers();
    expect(scheduler?.next).toBeGreaterThan(Date.now());

    const cached = await redis.keys('hephaestus:fleet:llm::*');
    expect(cached.length).toBeGreaterThan(0);
    for (const key of cached) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3_600_000);
    }
    expect((await runFleetCli(['fleet', 'remove', id, '--redis', redisServer.url])).exitCode).toBe(0);
  });
});

describe('a worker told SIGTERM mid-job', () => {
  it('ends the running cycle, releases the job and the repository lock, exits 0; the other worker completes the job: no commit twice, nothing left behind', { timeout: 240_000 }, async () => {
    const { redisServer, redis, queue } = fleet;
    // Slow replies: the signal comes while a cycle waits for the model.
    const { repository, entry, jobId, runner: stopped, runnerName: stoppedName } = await jobUnderWay(fleet, 1_000);
    const exited = once(stopped.child, 'exit');
    stopped.child.kill('SIGTERM');
    const [exitCode] = await exited;
    expect(exitCode).toBe(0);
    expect(stopped.lines.at(-1)).toBe(`Worker ${stoppedName} stopped.`);

    const reports = await waitForRepositoryReports(redisServer.url, entry.id, (seen) => seen.some((report) => report.type === 'run-finished'));
    const released = reports.filter((report) => report.type === 'run-released');
    expect(released.map((report) => [report.worker, report.reason])).toEqual([[stoppedName, 'the worker is shutting down']]);
    const finished = reports.find((report) => report.type === 'run-finished')!;
    expect([finished.jobId, finished.worker === stoppedName]).toEqual([jobId, false]);
    // Each run in turn: the released one ended before the other began.
    const runs = runIntervals(reports);
    expect(runs.map((run) => [run.worker === stoppedName ? 'stopped' : 'other', run.end !== null])).toEqual([
      ['stopped', true],
      ['other', true],
    ]);
    expect(runs[1]!.start).toBeGreaterThanOrEqual(runs[0]!.end!);

    const commits = await branchCommits(repository.root);
    expect(commits.length).toBe(3);
    expect(reportedCommits(reports)).toEqual(commits);
    // The cycle under way when the signal came ended ABORTED, committing nothing; the other worker ran the two still owed.
    const cycles = reports.flatMap((report) => (report.type === 'cycle' ? [[report.worker === stoppedName ? 'stopped' : 'other', report.record.reason ?? report.record.outcome]] : []));
    expect(cycles).toEqual([
      ['stopped', 'committed'],
      ['stopped', 'ABORTED'],
      ['other', 'committed'],
      ['other', 'committed'],
    ]);
    const job = await queue.getJob(jobId!);
    expect([await job?.getState(), job?.returnvalue?.committed]).toEqual(['completed', 2]);

    expect(await redis.exists(repositoryLockKey(entry.id))).toBe(0);
    // No lock of any kind is left: neither a repository's nor a BullMQ job's (`…:runs:<id>:lock`).
    expect(await redis.keys('hephaestus:fleet:*lock*')).toEqual([]);
    const left = await leftovers(repository);
    expect([left.outsidePool, left.runLock]).toEqual([[], false]);
    // The pool's size in the project's config.
    expect(left.poolWorktrees).toBeLessThanOrEqual(2);
  });
});
