// The progress display of `hephaestus run` on a terminal: the current phase with a spinner and
// elapsed time on one status line (cut to the terminal's width), then one line per finished
// cycle above it. Without a TTY only the per-cycle lines.
import type { CycleEvent } from '../cycle/cycle-events.js';
import type { CycleRecord } from '../cycle/cycle-record.js';
import type { Colors, Terminal } from './terminal.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

export interface ProgressDisplay {
  onEvent(event: CycleEvent): void;
  stop(): void;
}

/** `runNumber`: this run's number in the evolution log ("run 3 · cycle 1/2"); null leaves it out. */
export function createProgressDisplay(terminal: Terminal, totalCycles: number | null, runNumber: number | null = null): ProgressDisplay {
  let status = '';
  let phaseStarted = 0;
  let frame = 0;
  let timer: NodeJS.Timeout | null = null;
  const render = () => {
    if (!terminal.interactive || status === '') return;
    const seconds = ((performance.now() - phaseStarted) / 1000).toFixed(1);
    terminal.status(`${terminal.colors.cyan(FRAMES[frame++ % FRAMES.length]!)} ${status} ${terminal.colors.dim(`${seconds}s`)}`);
  };
  const of = totalCycles === null ? '' : `/${totalCycles}`;
  const label = (n: number) => `${runNumber === null ? '' : `run ${runNumber} · `}cycle ${n}${of}`;
  let objective = '';

  return {
    onEvent(event) {
      switch (event.type) {
        case 'cycle-start':
          objective = '';
          break;
        case 'objective-chosen':
          objective = firstLine(event.objective);
          break;
        case 'phase-start':
          status = `${label(event.n)} · ${event.phase}${objective ? ` · ${objective}` : ''}`;
          phaseStarted = performance.now();
          if (terminal.interactive && !timer) {
            timer = setInterval(render, FRAME_MS);
            timer.unref();
          }
          render();
          break;
        case 'cycle-end':
          status = '';
          terminal.clearStatus();
          terminal.line(formatCycleLine(event.record, label(event.n), terminal.colors));
          break;
        default:
          break;
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      status = '';
      terminal.stop();
    },
  };
}

const plain: Pick<Colors, 'green' | 'red' | 'dim'> = { green: String, red: String, dim: String };

/** `label` names the cycle (default "cycle N"; the run's display says "run 3 · cycle 1/2"). */
export function formatCycleLine(record: CycleRecord, label = `cycle ${record.n}`, colors: Pick<Colors, 'green' | 'red' | 'dim'> = plain): string {
  const seconds = (Math.max(0, Date.parse(record.finishedAt) - Date.parse(record.startedAt)) / 1000).toFixed(1);
  const mark = record.outcome === 'committed' ? colors.green('✔') : record.outcome === 'skipped' ? colors.dim('·') : colors.red('✘');
  const what = record.outcome === 'committed' ? `committed ${record.commit?.slice(0, 10)}` : `${record.outcome} ${record.reason ?? ''}`.trim();
  const strategy = record.strategy ? ` [${record.strategy}]` : '';
  // A skip is not a verdict on a change: what it says is why, so its detail is shown.
  const detail = record.outcome === 'skipped' && record.detail !== '' ? record.detail : null;
  const subject = record.objective === null ? (detail ?? '(no objective)') : `${truncate(record.objective, 90)}${detail === null ? '' : `: ${detail}`}`;
  return `${mark} ${label} ${what}${strategy} in ${seconds}s — ${subject}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

function truncate(text: string, length: number): string {
  const line = firstLine(text);
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}
