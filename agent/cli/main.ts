#!/usr/bin/env node
// Entry point of the `hephaestus` executable: wires signals to an AbortController, runs the
// CLI, flushes logs on every way out.
import { closeOnBrokenPipe } from './command-io.js';
import { EXIT } from './exit-codes.js';
import { defaultRuntime, runCli } from './program.js';
import { signalSentence } from './signal-sentence.js';

closeOnBrokenPipe(process.stdout);
closeOnBrokenPipe(process.stderr);
const controller = new AbortController();
const runtime = defaultRuntime(controller.signal);
const flushLogs = () => {
  for (const handle of runtime.loggers) handle.flush();
};

let interrupted = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (interrupted) {
    // Second signal: stop waiting for a clean shutdown.
    flushLogs();
    process.exit(EXIT.interrupted);
  }
  interrupted = true;
  runtime.notice(signalSentence(signal));
  for (const handle of runtime.loggers) handle.fileLogger.warn({ signal }, 'signal-received');
  flushLogs();
  controller.abort(new Error(`received ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('exit', flushLogs);

const code = await runCli(process.argv.slice(2), runtime);
flushLogs();
process.exitCode = interrupted && code !== EXIT.ok ? EXIT.interrupted : code;
