// Two real `hephaestus worker` processes on one real redis-server, planned by the fake LLM
// server: four local repositories, two runs each, every one gets its commits and no repository
// is ever run by both workers at once; a worker SIGKILLed mid-job leaves the job to the other,
// which completes it without committing anything twice.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { addRepository } from '../../agent/fleet/add-repository.js';
import type { FleetReport } from '../../agent/fleet/fleet-reports.js';
import { branchCommits, makeFleetProject, reportedCommits, runIntervals, scriptReadmeLines, waitForRepositoryReports } from './fleet-kit.js';
import { jobUnderWay, useFleetHarness } from './fleet-harness.js';

const fleet = useFleetHarness();

const finishedRuns = (reports: FleetReport[]) => reports.filter((report) => report.type === 'run-finished').length;

describe('two workers', () => {
  it('run four repositories, two runs each: every repository gets its commits, never by both workers at once', { timeout: 240_000 }, async () => {
    const { redisServer, llm, redis, queue, repositories } = fleet;
    scriptReadmeLines(llm);
    const added = [];
    for (let index = 0; index < 4; index += 1) {
      const repository = await makeFleetProject(llm);
      repositories.push(repository);
      // Two runs queued back to back: both workers want the same repository.
      added.push((await addRepository(redis, queue, { repo: repository.root, cycles: 1 })).entry);
      await addRepository(redis, queue, { repo: repository.root, cycles: 1 });
    }
    await fleet.startWorkers(2);

    const reports = await Promise.all(added.map((entry) => waitForRepositoryReports(redisServer.url, entry.id, (seen) => finishedRuns(seen) === 2)));

    const starters = new Set<string>();
    for (const [index, entry] of added.entries()) {
      const commits = await branchCommits(entry.location);
      expect(commits.length).toBe(2);
      // Every cycle was reported, with its commit, in order.
      expect(reportedCommits(reports[index]!)).toEqual(commits);
      const [first, second] = runIntervals(reports[index]!).sort((left, right) => left.start - right.start);
      expect(first!.end).not.toBeNull();
      expect(second!.start).toBeGreaterThanOrEqual(first!.end!);
      for (const interval of [first!, second!]) starters.add(interval.worker);
    }
    expect(starters.size).toBe(2);
  });

  it('a worker SIGKILLed mid-job leaves the job to the other, which finishes it: no cycle run twice, no commit lost', { timeout: 240_000 }, async () => {
    const { redisServer, queue } = fleet;
    // Slow replies keep the job running after its first cycle.
    const { repository, entry, jobId, runner: victim, runnerName: victimName } = await jobUnderWay(fleet, 300);
    const exited = once(victim.child, 'exit');
    victim.child.kill('SIGKILL');
    await exited;

    const reports = await waitForRepositoryReports(redisServer.url, entry.id, (seen) => finishedRuns(seen) === 1);
    const finished = reports.find((report) => report.type === 'run-finished')!;
    expect(finished.jobId).toBe(jobId);
    expect(finished.worker).not.toBe(victimName);
    const commits = await branchCommits(repository.root);
    // Three cycles in all, each committed once: what the dead worker committed stays, the rest is done by the other.
    expect(commits.length).toBe(3);
    expect(reportedCommits(reports)).toEqual(commits);
    const runs = runIntervals(reports);
    expect(runs.map((run) => [run.worker === victimName ? 'killed' : 'other', run.end === null])).toEqual([
      ['killed', true],
      ['other', false],
    ]);
    expect((await queue.getJob(jobId!))?.returnvalue).toMatchObject({ committed: 3 - reports.filter((report) => report.type === 'cycle' && report.worker === victimName).length });
  });
});
