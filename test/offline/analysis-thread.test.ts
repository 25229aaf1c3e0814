// The offline engine's analysis runs in a worker thread: while the language service works the
// main thread goes on serving its event loop (the display, signals), and an abort ends the
// analysis at once, even in the middle of the worker's synchronous work. The engine's own log
// lines mark when the analysis starts and ends.
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../agent/config/schema.js';
import { AbortedError } from '../../agent/core/errors.js';
import { OfflineEngine } from '../../agent/offline/offline-engine.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const FILES = {
  'tsconfig.json': '{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true, "noEmit": true } }\n',
  'src/paths.ts': "export function join(windows: boolean, parts: string[]): string {\n  const sep = windows ? '\\\\' : '/';\n  return parts.join('/');\n}\n",
};
const OBJECTIVE = 'Remove unused variable `sep` from src/paths.ts (in `join`, cleanup)';

/** An engine whose debug log lines call `onLine` with their message, as they are written. */
function engineLogging(onLine: (message: string) => void): OfflineEngine {
  const logger = pino({ level: 'debug' }, { write: (line: string) => onLine((JSON.parse(line) as { msg: string }).msg) });
  return new OfflineEngine({ config: configSchema.parse({}), logger });
}

describe('the offline analysis', () => {
  let repo: TempRepo;
  let engine: OfflineEngine | undefined;
  beforeEach(async () => {
    repo = await makeTempRepo(FILES);
  });
  afterEach(async () => {
    await engine?.close();
    await repo.remove();
  });

  it('leaves the main thread serving its event loop while the language service works', async () => {
    let turns = 0;
    let counting = true;
    const turn = () => {
      turns++;
      if (counting) setImmediate(turn);
    };
    const marks = new Map<string, number>();
    engine = engineLogging((message) => marks.set(message, turns));
    setImmediate(turn);
    const reply = await engine.proposeObjective(repo.root, [], AbortSignal.timeout(120_000)).finally(() => {
      counting = false;
    });
    expect(reply.objective).toBe(OBJECTIVE);
    // On the main thread the analysis would be one synchronous block: no turn between the marks.
    expect(marks.get('offline-analysis')! - marks.get('offline-analysis-start')!).toBeGreaterThan(0);
  });

  it('ends with an AbortedError when aborted during the analysis, and the next analysis works', async () => {
    const controller = new AbortController();
    // The first turn of the event loop after the analysis started.
    engine = engineLogging((message) => {
      if (message === 'offline-analysis-start') setImmediate(() => controller.abort(new Error('Ctrl-C')));
    });
    await expect(engine.proposeObjective(repo.root, [], controller.signal)).rejects.toBeInstanceOf(AbortedError);

    const again = await engine.proposeObjective(repo.root, [], AbortSignal.timeout(120_000));
    expect(again.objective).toBe(OBJECTIVE);
  });
});
