// The progress display of `hephaestus run` on a terminal: the current phase with a spinner and
// elapsed time, then one line per finished cycle. Without a TTY only the per-cycle lines.
import type { CycleEvent } from '../cycle/cycle-events.js';
import type { CycleRecord } from '../objectives/evolution-log.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface ProgressDisplay {
  onEvent(event: CycleEvent): void;
  stop(): void;
}

export function createProgressDisplay(stream: NodeJS.WriteStream, totalCycles: number | null): ProgressDisplay {
  const interactive = Boolean(stream.isTTY);
  let status = '';
  let phaseStarted = 0;
  let frame = 0;
  let timer: NodeJS.Timeout | null = null;
  const render = () => {
    if (!interactive || status === '') return;
    const seconds = ((performance.now() - phaseStarted) / 1000).toFixed(1);
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${status} ${seconds}s`);
  };
  const clear = () => {
    if (interactive) stream.write('\r\x1b[2K');
  };
  const of = totalCycles === null ? '' : `/${totalCycles}`;
  let objective = '';

  return {
    onEvent(event) {
      switch (event.type) {
        case 'cycle-start':
          objective = '';
          break;
        case 'objective-chosen':
          objective = event.objective;
          break;
        case 'phase-start':
          status = `cycle ${event.n}${of} · ${event.phase}${objective ? ` · ${truncate(objective, 60)}` : ''}`;
          phaseStarted = performance.now();
          if (interactive && !timer) timer = setInterval(render, 100);
          render();
          break;
        case 'cycle-end':
          clear();
          stream.write(`${formatCycleLine(event.record, of)}\n`);
          status = '';
          break;
        default:
          break;
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      clear();
    },
  };
}

export function formatCycleLine(record: CycleRecord, of = ''): string {
  const seconds = (Math.max(0, Date.parse(record.finishedAt) - Date.parse(record.startedAt)) / 1000).toFixed(1);
  const mark = record.outcome === 'committed' ? '✔' : record.outcome === 'skipped' ? '·' : '✘';
  const what = record.outcome === 'committed' ? `committed ${record.commit?.slice(0, 10)}` : `${record.outcome} ${record.reason ?? ''}`.trim();
  const strategy = record.strategy ? ` [${record.strategy}]` : '';
  return `${mark} cycle ${record.n}${of} ${what}${strategy} in ${seconds}s — ${truncate(record.objective ?? '(no objective)', 90)}`;
}

function truncate(text: string, length: number): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}
