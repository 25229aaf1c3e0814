// What model-written code sees of the host from inside the jail: an /etc/passwd and /etc/group
// of the jail's own (root, the user it runs as with the empty home, nobody), no password hashes,
// no other user's home, and nothing it writes reaches the host's /tmp.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JAIL } from '../../strategies/commands/jail-settings.js';
import { runJailed } from '../../strategies/commands/run-jailed.js';
import { makeTempDir } from '../support/temp-repo.js';
import { exists, requireJail } from './support/attack-kit.js';

const marker = `hephaestus-host-files-${process.pid}`;
/** Another user's home, with a file model code must not read (made when this process may). */
const otherHome = path.join('/home', marker);
let workDir: string;

beforeAll(async () => {
  await requireJail();
  workDir = await makeTempDir('hephaestus-host-files-');
  await mkdir(otherHome, { recursive: true }).then(
    () => writeFile(path.join(otherHome, 'secret.txt'), 'another user secret\n'),
    () => undefined,
  );
});

afterAll(async () => {
  await rm(otherHome, { recursive: true, force: true });
  await rm(workDir, { recursive: true, force: true });
});

const LOOK_AROUND = `
const fs = require('node:fs');
const read = (file) => { try { return fs.readFileSync(file, 'utf8'); } catch (error) { return error.code; } };
const list = (directory) => { try { return fs.readdirSync(directory); } catch (error) { return error.code; } };
try { fs.writeFileSync(${JSON.stringify(path.join(os.tmpdir(), `${marker}-planted`))}, 'x'); } catch {}
process.stdout.write(JSON.stringify({
  passwd: read('/etc/passwd'),
  group: read('/etc/group'),
  shadow: read('/etc/shadow'),
  homes: list('/home'),
  otherSecret: read(${JSON.stringify(path.join(otherHome, 'secret.txt'))}),
}));
`;

describe('the host as seen from the jail', () => {
  it('shows only its own accounts, no password hashes, no other home, and keeps /tmp private', async () => {
    const result = await runJailed(['node', '-e', LOOK_AROUND], { jail: { ...DEFAULT_JAIL, isolation: 'bwrap', writablePaths: [workDir] }, cwd: workDir, timeoutMs: 60_000, signal: new AbortController().signal });
    expect(result.outcome, result.outputTail).toBe('passed');
    const seen = JSON.parse(result.outputTail) as Record<string, unknown>;
    const uid = process.getuid!();
    const gid = process.getgid!();
    const home = process.env.HOME!;
    const name = uid === 0 ? 'root' : os.userInfo().username;
    const shadowExists = await exists('/etc/shadow');
    expect(seen).toEqual({
      passwd: `${uid === 0 ? '' : 'root:x:0:0:root:/root:/bin/sh\n'}${name}:x:${uid}:${gid}:${name}:${home}:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
      group: `${gid === 0 ? '' : 'root:x:0:\n'}${gid === 0 ? 'root' : name}:x:${gid}:\nnogroup:x:65534:\n`,
      // Masked: an empty file that cannot be opened, or none at all.
      shadow: shadowExists ? expect.stringMatching(/^(EACCES|)$/) : 'ENOENT',
      homes: [],
      otherSecret: 'ENOENT',
    });
    // Not vacuous: the host's files say more than the jail's.
    expect((await readFile('/etc/passwd', 'utf8')).split('\n').length).toBeGreaterThan((seen.passwd as string).split('\n').length);
    expect(await exists(path.join(os.tmpdir(), `${marker}-planted`))).toBe(false);
  }, 90_000);
});
