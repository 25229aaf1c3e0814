// Ctrl-C while the offline engine's language-service analysis runs, on a real pseudo-terminal:
// a generated TypeScript repository large enough that the analysis takes seconds, `hephaestus
// run --offline --log-level debug` on it, and Ctrl-C typed once the analysis has started and the
// spinner has redrawn a few times since. Shared by the terminal test (what the user sees) and the
// benchmark (how long Ctrl-C takes to end the process).
import { runInTerminal, type TerminalRun } from './pseudo-terminal.js';
import { makeTempRepo, type TempRepo } from './temp-repo.js';

/** The engine's debug log lines around the analysis (agent/offline/offline-engine.ts). */
export const ANALYSIS_STARTED = /DEBUG[^\n]*: offline-analysis-start\b/;
export const ANALYSIS_FINISHED = /DEBUG[^\n]*: offline-analysis(?!-)\b/;
/** Spinner redraws after the analysis started, before Ctrl-C is typed. */
export const FRAMES_BEFORE_INTERRUPT = 3;

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

/** A TypeScript project of `count` modules, each importing the one before; nothing to fix quickly. */
export async function makeSlowAnalysisRepo(count = 600): Promise<TempRepo> {
  const files: Record<string, string> = {
    'package.json': '{ "name": "generated", "private": true, "type": "module" }\n',
    'tsconfig.json': '{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true, "noEmit": true, "noUnusedLocals": true }, "include": ["src"] }\n',
  };
  for (let index = 0; index < count; index++) files[`src/d${index % 20}/m${index}.ts`] = moduleSource(index);
  return makeTempRepo(files);
}

function moduleSource(index: number): string {
  const previous = index - 1;
  const dependency = index > 0 ? `import { helper${previous} } from '../d${previous % 20}/m${previous}.js';\n\n` : '';
  const call = index > 0 ? `helper${previous}(value - 1, options)` : 'value';
  return `${dependency}export interface Options {
  limit: number;
  label?: string;
}

/** Doubles small values and clamps large ones (module ${index}). */
export function helper${index}(value: number, options: Options = { limit: 100 }): number {
  if (value < 0) return 0;
  const clamped = Math.min(value, options.limit);
  return clamped > 10 ? ${call} : clamped * 2;
}

export class Service${index} {
  protected count${index} = 0;
  handle${index}(input: string | null): string {
    this.count${index}++;
    switch (input) {
      case null:
        return 'none';
      case '':
        return 'empty';
      default:
        return input.length > 3 && this.count${index} % 2 === 0 ? input.toUpperCase() : input;
    }
  }
}
`;
}

/** The status-line frames in `raw` (escape codes removed), in the order they were drawn. */
export function spinnerFrames(raw: string): string[] {
  return raw
    .split(/\r|\n/)
    .map((frame) => frame.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''))
    .filter((frame) => SPINNER.test(frame));
}

/** Frames drawn after the analysis started whose elapsed time differs: redraws by the timer, not by a log line. */
export function framesDuringAnalysis(raw: string): string[] {
  const started = raw.search(ANALYSIS_STARTED);
  if (started < 0) return [];
  const frames = spinnerFrames(raw.slice(started));
  return frames.filter((frame, index) => index === 0 || elapsedOf(frame) !== elapsedOf(frames[index - 1]!));
}

const elapsedOf = (frame: string) => /(\d+\.\d)s\s*$/.exec(frame)?.[1] ?? null;

/** The longest wait between two redraws during the analysis, read off the elapsed time they show (0.1 s steps). */
export function longestRedrawGapMs(raw: string): number {
  const shown = framesDuringAnalysis(raw).map((frame) => Number(elapsedOf(frame)));
  return Math.max(0, ...shown.slice(1).map((seconds, index) => Math.round((seconds - shown[index]!) * 1000)));
}

export interface InterruptedAnalysis extends TerminalRun {
  /** The output up to the moment Ctrl-C was typed. */
  beforeInterrupt: string;
}

/** Runs the offline engine on `repo` and types Ctrl-C during the analysis, after `frames` redraws. */
export async function interruptAnalysis(repo: TempRepo, options: { columns?: number; frames?: number } = {}): Promise<InterruptedAnalysis> {
  const frames = options.frames ?? FRAMES_BEFORE_INTERRUPT;
  const run = await runInTerminal(['--log-level', 'debug', 'run', '--repo', repo.root, '--offline'], {
    columns: options.columns ?? 120,
    input: { when: (raw) => ANALYSIS_FINISHED.test(raw) || framesDuringAnalysis(raw).length >= frames, send: '\u0003' },
  });
  return { ...run, beforeInterrupt: run.raw.slice(0, run.inputAt ?? run.raw.length) };
}
