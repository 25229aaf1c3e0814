// `npm run conformance`: every task of the real-repository corpus through the built CLI, each
// with its own provider (the replay model, or the offline engine for the offline tasks). Fails
// when a task does not reach its expected outcome. The corpus is $HEPHAESTUS_CORPUS, else
// ../shared/corpus beside the repository when it exists.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const explicit = process.env.HEPHAESTUS_CORPUS;
const corpus = explicit ? path.resolve(explicit) : path.resolve(repositoryRoot, '..', 'shared', 'corpus');

if (!existsSync(path.join(corpus, 'tasks'))) {
  process.stderr.write(`conformance: no corpus at ${corpus} (no tasks/ folder)${explicit ? '' : '; set HEPHAESTUS_CORPUS to run it'}.\n`);
  process.exit(explicit ? 2 : 0);
}

const started = performance.now();
const cli = path.join(repositoryRoot, 'dist', 'agent', 'cli', 'main.js');
const child = spawn(process.execPath, [cli, 'eval', corpus, ...process.argv.slice(2)], { stdio: 'inherit', cwd: repositoryRoot });
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  process.stderr.write(`conformance: ${corpus} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  process.exit(code ?? (signal ? 130 : 1));
});
