// Ctrl-C while the offline engine analyses a large repository, on a real pseudo-terminal: the
// analysis runs in a worker thread, so the spinner keeps redrawing while it works and Ctrl-C ends
// the run at once (the worker is terminated mid-analysis), with the signal said in a sentence,
// exit 130, and no lock or sandbox left behind. The time from Ctrl-C to exit is measured and
// printed here, and reported by `npm run bench` (interrupted-analysis.bench.ts), not asserted.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ANALYSIS_FINISHED, ANALYSIS_STARTED, FRAMES_BEFORE_INTERRUPT, framesDuringAnalysis, interruptAnalysis, makeSlowAnalysisRepo, spinnerFrames } from '../support/interrupted-analysis.js';
import type { TempRepo } from '../support/temp-repo.js';

const NOTICE = 'Received Ctrl-C (SIGINT): stopping the current step, then releasing the sandbox and flushing memory. Press Ctrl-C again to quit at once.';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.remove();
  repo = undefined;
});

describe('Ctrl-C during the offline analysis', () => {
  it('is answered at once: the spinner redrew during the analysis, the run stops with exit 130 and leaves nothing behind', async () => {
    repo = await makeSlowAnalysisRepo();
    const run = await interruptAnalysis(repo);
    console.log(`Ctrl-C to exit: ${Math.round(run.inputToExitMs ?? Number.NaN)} ms; spinner frames during the analysis before Ctrl-C: ${framesDuringAnalysis(run.beforeInterrupt).length}`);

    // Ctrl-C was typed while the worker was still analysing, after the spinner had redrawn.
    expect(run.beforeInterrupt).toMatch(ANALYSIS_STARTED);
    expect(run.beforeInterrupt).not.toMatch(ANALYSIS_FINISHED);
    expect(framesDuringAnalysis(run.beforeInterrupt).length).toBeGreaterThanOrEqual(FRAMES_BEFORE_INTERRUPT);
    expect(spinnerFrames(run.beforeInterrupt).at(-1)).toMatch(/^. run 1 · cycle 1\/1 · objective \d+\.\ds$/);
    // The analysis was ended, not waited for.
    expect(run.raw).not.toMatch(ANALYSIS_FINISHED);

    expect(run.exitCode).toBe(130);
    expect(run.lines.filter((line) => line.includes('Received Ctrl-C')).map((line) => line.replace(/^\^C/, ''))).toEqual([NOTICE]);
    expect(run.lines.filter((line) => /^[✔✘·] run/.test(line)).map((line) => line.replace(/\d+\.\ds/, '<s>'))).toEqual(['✘ run 1 · cycle 1/1 failed ABORTED in <s> — (no objective)']);
    expect(run.screen.filter((row) => spinnerFrames(row).length > 0)).toEqual([]);

    // Nothing left behind: no run lock, no extra worktree, no git lock, the user's tree as it was.
    const root = repo.root;
    expect(await readdir(path.join(root, '.hephaestus'))).not.toContain('run.lock');
    const worktrees = (await repo.git('worktree', 'list', '--porcelain')).split('\n');
    expect(worktrees.filter((line) => line.startsWith('worktree ')).slice(1).every((line) => line.startsWith(`worktree ${path.join(root, '.hephaestus', 'worktrees')}/`))).toBe(true);
    expect(worktrees.filter((line) => line.startsWith('locked'))).toEqual([]);
    expect((await readdir(path.join(root, '.git'))).filter((name) => name.endsWith('.lock'))).toEqual([]);
    expect(await repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });
});
