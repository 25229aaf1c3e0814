// The worker thread that runs the offline engine's analysis: opening the TypeScript language
// service and reading its fixes takes seconds of synchronous work, which on the main thread froze
// the progress display and delayed Ctrl-C. One request at a time; the main thread ends a request
// early by terminating the worker.
import { parentPort } from 'node:worker_threads';
import { findCodeFixes } from './find-code-fixes.js';
import type { AnalysisReply, AnalysisRequest } from './analysis-messages.js';
import { openLanguageService } from './open-language-service.js';

const port = parentPort;
if (port === null) throw new Error('analysis-worker.ts runs as a worker thread only.');

port.on('message', (request: AnalysisRequest) => {
  const started = performance.now();
  let reply: AnalysisReply;
  try {
    const service = openLanguageService(request.root, request.sources);
    const fixes = findCodeFixes(service);
    reply = { id: request.id, ok: true, fixes, files: service.files.size, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error), ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) };
  }
  port.postMessage(reply);
});
