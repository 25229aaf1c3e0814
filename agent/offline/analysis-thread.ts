// Runs the offline engine's analysis (language service + fixes) in a worker thread, so the main
// thread keeps drawing progress and answers Ctrl-C at once: an abort terminates the worker, which
// stops even in the middle of synchronous work. The worker stays up between analyses (loading
// TypeScript is the slow part) and does not keep the process alive while idle.
import { Worker } from 'node:worker_threads';
import { AbortedError, HephaestusError } from '../core/errors.js';
import type { AnalysisReply, AnalysisRequest } from './analysis-messages.js';
import type { CodeFix } from './code-fix.js';

export interface AnalysisResult {
  fixes: CodeFix[];
  /** Source files the language service analysed. */
  files: number;
  durationMs: number;
}

export class OfflineAnalysisError extends HephaestusError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('OFFLINE_ANALYSIS_FAILED', message, options);
  }
}

interface Pending {
  resolve(result: AnalysisResult): void;
  reject(error: unknown): void;
}

export class AnalysisThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  analyse(root: string, sources: readonly string[], signal: AbortSignal): Promise<AnalysisResult> {
    if (signal.aborted) return Promise.reject(aborted(signal));
    const worker = this.start();
    const request: AnalysisRequest = { id: this.nextId++, root, sources: [...sources] };
    return new Promise<AnalysisResult>((resolve, reject) => {
      const onAbort = () => {
        // The only way to stop synchronous work in the worker; the next analysis starts a new one.
        this.stop(aborted(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        signal.removeEventListener('abort', onAbort);
        if (this.pending.size === 0) this.worker?.unref();
      };
      this.pending.set(request.id, {
        resolve: (result) => {
          settle();
          resolve(result);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      worker.ref();
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.stop(new AbortedError('The offline analysis was closed.'));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = createAnalysisWorker();
    worker.unref();
    worker.on('message', (reply: AnalysisReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (reply.ok) pending.resolve({ fixes: reply.fixes, files: reply.files, durationMs: reply.durationMs });
      else pending.reject(new OfflineAnalysisError(`The offline analysis failed: ${reply.message}`, { cause: Object.assign(new Error(reply.message), reply.stack ? { stack: reply.stack } : {}) }));
    });
    worker.on('error', (error) => this.stop(new OfflineAnalysisError(`The offline analysis worker crashed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.stop(new OfflineAnalysisError(`The offline analysis worker exited with code ${code}.`));
    });
    this.worker = worker;
    return worker;
  }

  /** Ends the worker and fails every pending analysis with `reason`. */
  private stop(reason: unknown): void {
    const worker = this.worker;
    this.worker = null;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const request of pending) request.reject(reason);
    void worker?.terminate();
  }
}

function aborted(signal: AbortSignal): AbortedError {
  return new AbortedError('The offline analysis was interrupted.', { cause: signal.reason });
}

/**
 * The worker runs the compiled module next to this one. Run from the TypeScript sources (tests,
 * `tsx`), it runs the `.ts` module through tsx's loader, registered inside the worker.
 */
function createAnalysisWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./analysis-worker.js', here));
  const loader = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./analysis-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(loader)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}
