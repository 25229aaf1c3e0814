// The state-file lock gives up waiting when its caller aborts: the error is the agent's own
// (HEPHAESTUS_ABORTED, the signal's reason as its cause), the action never runs and the holder's
// lock file is left as it was.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortedError } from '../../agent/core/errors.js';
import { withFileLock } from '../../agent/state/file-lock.js';
import { makeTempDir } from '../support/temp-repo.js';

let directory: string | undefined;
afterEach(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
  directory = undefined;
});

describe('withFileLock', () => {
  it('an abort while another process holds the lock rejects with HEPHAESTUS_ABORTED, not the platform AbortError', async () => {
    directory = await makeTempDir('hephaestus-file-lock-');
    const lockFile = path.join(directory, 'objectives.json.lock');
    // A live holder: this process's own pid, so the lock is never taken over.
    await writeFile(lockFile, String(process.pid));
    const controller = new AbortController();
    let ran = false;
    const waiting = withFileLock(lockFile, async () => {
      ran = true;
    }, { signal: controller.signal, timeoutMs: 600_000 });
    controller.abort();
    const error = await waiting.then(() => null, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).code).toBe('HEPHAESTUS_ABORTED');
    expect(((error as AbortedError).cause as Error).name).toBe('AbortError');
    expect(ran).toBe(false);
    expect(await readFile(lockFile, 'utf8')).toBe(String(process.pid));
  });
});
