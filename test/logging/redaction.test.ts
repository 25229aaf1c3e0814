// Secrets never reach the log file: values of *_API_KEY / *_TOKEN variables and key-shaped
// fields are redacted from every line, whatever the shape of the logged object.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../agent/logging/create-logger.js';
import { collectSecrets, redactSecrets } from '../../agent/logging/redact-secrets.js';
import { runCli } from '../support/run-cli.js';
import { makeTempDir, makeTempRepo, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo | undefined;
afterEach(async () => repo?.remove());

const OPENAI_KEY = 'sk-proj-Zx81Ab"quoted"\\slash-1234567890';
const GITHUB_TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz012345';

describe('secret redaction', () => {
  it('collects only secret-looking variables of useful length', () => {
    const secrets = collectSecrets({ OPENAI_API_KEY: OPENAI_KEY, GITHUB_TOKEN, HOME: '/root', SHORT_TOKEN: 'abc', EDITOR: 'vim' });
    expect(secrets).toEqual([OPENAI_KEY, GITHUB_TOKEN].sort((left, right) => right.length - left.length));
    expect(redactSecrets(`key=${OPENAI_KEY} and ${JSON.stringify(OPENAI_KEY)}`, secrets)).toBe('key=[REDACTED] and "[REDACTED]"');
  });

  it('no secret value appears in the log file, in messages, fields, errors or headers', async () => {
    const stateDir = await makeTempDir();
    const handle = createLogger({ level: 'debug', stateDir, console: 'none', secrets: collectSecrets({ OPENAI_API_KEY: OPENAI_KEY, GITHUB_TOKEN }) });
    handle.logger.info(`calling with ${OPENAI_KEY}`);
    handle.logger.info({ request: { url: `https://api.example/v1?token=${GITHUB_TOKEN}`, headers: { authorization: 'Bearer opaque-value-987654' } } }, 'request');
    handle.logger.info({ apiKey: 'another-opaque-key-55555' }, 'config');
    handle.logger.error({ err: new Error(`401 for key ${OPENAI_KEY}`) }, 'provider-failed');
    handle.flush();
    const log = await readFile(path.join(stateDir, 'hephaestus.log'), 'utf8');
    const lines = log.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
    expect(lines).toHaveLength(4);
    for (const secret of [OPENAI_KEY, JSON.stringify(OPENAI_KEY).slice(1, -1), GITHUB_TOKEN, 'opaque-value-987654', 'another-opaque-key-55555']) {
      expect(log).not.toContain(secret);
    }
    expect(lines[0]!.msg).toBe('calling with [REDACTED]');
    expect(lines[1]!.request).toEqual({ url: 'https://api.example/v1?token=[REDACTED]', headers: { authorization: '[REDACTED]' } });
    expect(lines[2]!.apiKey).toBe('[REDACTED]');
    expect(lines[3]!.err.message).toBe('401 for key [REDACTED]');
  });

  it('the CLI keeps the environment keys out of its log file and flushes it at exit', async () => {
    repo = await makeTempRepo({ 'package.json': '{}' });
    const result = await runCli(['--log-level', 'debug', 'init', '--repo', repo.root], { env: { OPENAI_API_KEY: OPENAI_KEY, GH_TOKEN: GITHUB_TOKEN } });
    expect(result.exitCode).toBe(0);
    const log = await readFile(path.join(repo.root, '.hephaestus', 'hephaestus.log'), 'utf8');
    expect(log).toContain('"msg":"init-finished"');
    expect(log).not.toContain(GITHUB_TOKEN);
    expect(log).not.toContain('sk-proj-Zx81Ab');
  });
});
