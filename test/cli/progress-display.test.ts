// The progress display of `hephaestus run`: a spinner line while a phase runs on a terminal,
// one line per finished cycle, nothing but the cycle lines without a terminal.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressDisplay, formatCycleLine } from '../../agent/cli/progress-display.js';
import { createTerminal } from '../../agent/cli/terminal.js';
import type { CycleRecord } from '../../agent/cycle/cycle-record.js';
import { cycleRecord } from '../support/cycle-records.js';

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk, _encoding, done) => (chunks.push(String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 200 });
  return { stream, text: () => chunks.join(''), terminal: createTerminal(stream, { TERM: 'xterm', NO_COLOR: '1' }) };
}

const record = (overrides: Partial<CycleRecord>): CycleRecord =>
  cycleRecord({ runId: 'r', objective: 'Add a subtract function to src/math.js', strategy: 'SYNTAX_AND_TESTS', outcome: 'committed', commit: '0123456789abcdef0123456789abcdef01234567', files: ['src/math.js'], steps: ['syntax', 'tests'], llm: { calls: 2, cacheHits: 0, tokensIn: 10, tokensOut: 5, cachedTokensIn: 0, cost: 0 }, startedAt: '2026-11-21T10:00:00.000Z', finishedAt: '2026-11-21T10:00:02.500Z', ...overrides });

describe('progress display', () => {
  it('formats one line per cycle with outcome, reason, strategy and time', () => {
    expect(formatCycleLine(record({}), 'run 3 · cycle 1/3')).toBe('✔ run 3 · cycle 1/3 committed 0123456789 [SYNTAX_AND_TESTS] in 2.5s — Add a subtract function to src/math.js');
    expect(formatCycleLine(record({ n: 2, outcome: 'rejected', reason: 'TESTS_FAILED', commit: null }))).toBe(
      '✘ cycle 2 rejected TESTS_FAILED [SYNTAX_AND_TESTS] in 2.5s — Add a subtract function to src/math.js',
    );
    expect(formatCycleLine(record({ outcome: 'skipped', reason: 'NOTHING_TO_DO', strategy: null, objective: null, commit: null }))).toBe(
      '· cycle 1 skipped NOTHING_TO_DO in 2.5s — (no objective)',
    );
  });

  it('says why a cycle was skipped', () => {
    const detail = 'the offline engine does not apply to this repository: it fixes what the TypeScript language service finds in TypeScript/JavaScript files, and there are none';
    expect(formatCycleLine(record({ outcome: 'skipped', reason: 'NOTHING_TO_DO', strategy: null, objective: null, commit: null, detail }))).toBe(`· cycle 1 skipped NOTHING_TO_DO in 2.5s — ${detail}`);
    expect(formatCycleLine(record({ outcome: 'skipped', reason: 'DEGENERATIVE_LOOP', strategy: null, commit: null, detail: 'this objective already failed 3 times' }))).toBe(
      '· cycle 1 skipped DEGENERATIVE_LOOP in 2.5s — Add a subtract function to src/math.js: this objective already failed 3 times',
    );
  });

  it('on a terminal shows run, cycle, phase and objective, then replaces it with the cycle line', () => {
    const { text, terminal } = capture(true);
    const display = createProgressDisplay(terminal, 2, 3);
    display.onEvent({ type: 'cycle-start', n: 1 });
    display.onEvent({ type: 'objective-chosen', n: 1, objective: 'Add a subtract function to src/math.js', source: 'user' });
    display.onEvent({ type: 'phase-start', n: 1, phase: 'architect' });
    display.onEvent({ type: 'cycle-end', n: 1, record: record({}) });
    display.stop();
    const output = text();
    expect(output).toMatch(/^(\u001b\[\?2026h)?⠋ run 3 · cycle 1\/2 · architect · Add a subtract function to src\/math\.js \d+\.\ds\n/);
    // The status line is erased before the cycle line is written.
    expect(output).toMatch(/\u001b\[2K(\u001b\[1A\u001b\[2K)*\u001b\[G(\u001b\[\?2026l)?✔ run 3 · cycle 1\/2 committed 0123456789 \[SYNTAX_AND_TESTS\] in 2\.5s — Add a subtract function to src\/math\.js\n$/);
  });

  it('without a terminal prints only the cycle lines', () => {
    const { text, terminal } = capture(false);
    const display = createProgressDisplay(terminal, null);
    display.onEvent({ type: 'phase-start', n: 1, phase: 'validation' });
    display.onEvent({ type: 'cycle-end', n: 1, record: record({ outcome: 'rejected', reason: 'TYPECHECK_FAILED', commit: null }) });
    display.stop();
    expect(text()).toBe('✘ cycle 1 rejected TYPECHECK_FAILED [SYNTAX_AND_TESTS] in 2.5s — Add a subtract function to src/math.js\n');
  });
});
