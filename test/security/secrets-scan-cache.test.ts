// Values of the repository's `.env*` files that a source file repeats literally (a signing key
// pasted into a constant, a URL with credentials in a doc comment) are no known secret format,
// yet they stay out of what the scanner keeps: its result, the scan cache rows and the
// snapshot, including when the value joins `.env` after the file was first scanned.
import sqlite3 from 'sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../agent/cache/open-cache.js';
import { configSchema } from '../../agent/config/schema.js';
import { scanRepository } from '../../agent/scanner/scan-repository.js';
import { stateDirOf } from '../../agent/state/state-dir.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const config = configSchema.parse({});
const SIGNING_KEY = 'whsk-51Ab72Cd93Ef84';
const SERVICE_URL = 'https://relay:p4ss-w0rd-77@hooks.internal.example.net/v1';
const SOURCE = `/** Posts to ${SERVICE_URL} when a build ends. */
export const signingKey = '${SIGNING_KEY}';

/** Signs a payload with ${SIGNING_KEY}. */
export function sign(payload: string, key = '${SIGNING_KEY}'): string {
  return payload + key;
}
`;

let repo: TempRepo | undefined;
afterEach(async () => repo?.remove());

async function scan(root: string) {
  // A new connection per scan, as in a new process: only the SQLite file carries over.
  const cache = await openCache(stateDirOf(root), 'scan');
  try {
    return await scanRepository(root, { config, cache });
  } finally {
    await cache.disconnect();
  }
}

async function scanRows(root: string): Promise<Array<{ key: string; value: string }>> {
  const database = new sqlite3.Database(path.join(stateDirOf(root), 'cache.sqlite'), sqlite3.OPEN_READONLY);
  try {
    return await new Promise((resolve, reject) =>
      database.all("SELECT key, value FROM keyv WHERE key LIKE 'scan:%'", (error, rows: Array<{ key: string; value: string }>) => (error ? reject(error) : resolve(rows))),
    );
  } finally {
    await new Promise((resolve) => database.close(resolve));
  }
}

function leaksIn(texts: readonly string[], values: readonly string[]): string[] {
  return texts.flatMap((text) => values.filter((value) => text.includes(value)));
}

const REDACTED_SYMBOLS = [
  { name: 'signingKey', kind: 'variable', signature: "const signingKey = '[REDACTED]'", line: 2, doc: 'Posts to [REDACTED] when a build ends.' },
  { name: 'sign', kind: 'function', signature: "function sign(payload: string, key = '[REDACTED]'): string", line: 5, doc: 'Signs a payload with [REDACTED].' },
];

describe('.env values in the scan', () => {
  it('are redacted in the result, every scan cache row and the snapshot, and a warm scan serves the redacted analysis', async () => {
    repo = await makeTempRepo({ '.env': `WEBHOOK_SIGNING_KEY=${SIGNING_KEY}\n`, '.env.production': `SERVICE_URL="${SERVICE_URL}"\nPORT=8080\n`, 'src/hooks.ts': SOURCE });
    const cold = await scan(repo.root);
    const file = cold.files.find((entry) => entry.path === 'src/hooks.ts')!;
    expect(file.symbols.map(({ name, kind, signature, line, doc }) => ({ name, kind, signature, line, doc }))).toEqual(REDACTED_SYMBOLS);
    const rows = await scanRows(repo.root);
    expect(rows.some((row) => row.key.includes(':snapshot:'))).toBe(true);
    expect(rows.some((row) => row.key.includes(':src/hooks.ts:'))).toBe(true);
    expect(leaksIn([JSON.stringify(cold.files), ...rows.map((row) => `${row.key}\n${row.value}`)], [SIGNING_KEY, SERVICE_URL])).toEqual([]);

    const warm = await scan(repo.root);
    expect(warm.stats).toMatchObject({ parsed: 0 });
    expect(warm.files).toEqual(cold.files);
  });

  it('a value that joins .env after the file was scanned is redacted in the next scan', async () => {
    repo = await makeTempRepo({ 'src/hooks.ts': SOURCE });
    const before = await scan(repo.root);
    expect(JSON.stringify(before.files)).toContain(SIGNING_KEY);

    await repo.write('.env', `WEBHOOK_SIGNING_KEY=${SIGNING_KEY}\nSERVICE_URL=${SERVICE_URL}\n`);
    const after = await scan(repo.root);
    expect(after.stats).toMatchObject({ files: 2, parsed: 2 }); // .env is new; src/hooks.ts is parsed again
    const file = after.files.find((entry) => entry.path === 'src/hooks.ts')!;
    expect(file.symbols.map(({ name, kind, signature, line, doc }) => ({ name, kind, signature, line, doc }))).toEqual(REDACTED_SYMBOLS);
    const again = await scan(repo.root);
    expect(again.files).toEqual(after.files);
  });
});
