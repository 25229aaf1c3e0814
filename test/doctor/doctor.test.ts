// `hephaestus doctor` end to end through runDoctor: the config, provider, key and model checks
// against the fake LLM server (both wire protocols), the configured commands on the base
// commit of a real repository, and the CLI's lines and exit code.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor, type DoctorOptions } from '../../agent/doctor/run-doctor.js';
import type { FakeLlmServer } from '../support/fake-llm-server.js';
import { useFakeServers } from '../llm/llm-test-kit.js';
import { runCli } from '../support/run-cli.js';
import { makeTempDir, makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const { server, oldServer } = await useFakeServers();
let repo: TempRepo | null = null;
afterEach(async () => {
  await repo?.remove();
  repo = null;
});

const PASSING_TEST = "import { test } from 'node:test';\ntest('passes', () => {});\n";
const FAILING_TEST = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('fails', () => { assert.equal(1, 2); });\n";

async function project(config: Record<string, unknown>, files: Record<string, string> = {}): Promise<TempRepo> {
  repo = await makeTempRepo({ 'package.json': '{ "type": "module" }\n', 'hephaestus.config.json': `${JSON.stringify(config)}\n`, ...files });
  return repo;
}

const llm = (protocol: 'openai' | 'anthropic', target = server) => ({ provider: protocol, baseUrl: protocol === 'openai' ? target.openaiBaseUrl : target.anthropicBaseUrl, models: { main: 'model-main', light: 'model-light' } });
const keyEnv = (protocol: 'openai' | 'anthropic') => ({ PATH: process.env.PATH, [protocol === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY']: 'sk-doctor-0123456789' });

async function doctor(root: string, env: NodeJS.ProcessEnv, extra: Partial<DoctorOptions> = {}) {
  const report = await runDoctor({ repoDir: root, env, userConfigPath: null, commands: false, probeJail: async () => ({ ok: true, problem: null }), ...extra });
  return { report, byId: Object.fromEntries(report.checks.map((check) => [check.id, check])) };
}

describe('config', () => {
  it('passes for a valid file, naming it', async () => {
    const root = (await project({ llm: { provider: 'offline' } })).root;
    const { byId } = await doctor(root, { PATH: process.env.PATH });
    expect(byId.config).toEqual({ id: 'config', status: 'pass', detail: `valid: ${path.join(root, 'hephaestus.config.json')}`, fix: null });
  });
  it('fails for an invalid file with the schema problem, and skips what needs it', async () => {
    const root = (await project({ llm: { provider: 'gemini' } })).root;
    const { report, byId } = await doctor(root, { PATH: process.env.PATH });
    expect([byId.config!.status, byId.config!.detail.split('\n')[0]]).toEqual(['fail', `${path.join(root, 'hephaestus.config.json')}: invalid configuration`]);
    expect(['provider', 'key', 'models', 'jail'].map((id) => byId[id]!.status)).toEqual(['skip', 'skip', 'skip', 'skip']);
    expect(report.ok).toBe(false);
  });
});

describe('provider and key', () => {
  it('says which provider runs and why', async () => {
    const root = (await project({ llm: { baseUrl: server.anthropicBaseUrl } })).root;
    server.respondWith(() => ({ text: '{"ok": true}' }));
    const { byId } = await doctor(root, keyEnv('anthropic'));
    expect([byId.provider!.detail, byId.key!.detail]).toEqual(['anthropic, because ANTHROPIC_API_KEY is set', 'ANTHROPIC_API_KEY is set (20 characters)']);
  });
  it('warns that nothing calls a model offline', async () => {
    const root = (await project({})).root;
    const { report, byId } = await doctor(root, { PATH: process.env.PATH });
    expect([byId.provider!.status, byId.provider!.detail, report.ok]).toEqual(['warn', 'offline: the built-in engine, no model calls (no API key and no llm.baseUrl are configured)', true]);
  });
  it('fails when the chosen provider has no key, naming the variable', async () => {
    const root = (await project({ llm: { provider: 'anthropic' } })).root;
    const { report, byId } = await doctor(root, { PATH: process.env.PATH });
    expect(byId.key).toEqual({ id: 'key', status: 'fail', detail: 'ANTHROPIC_API_KEY is not set', fix: 'Export ANTHROPIC_API_KEY=<your anthropic API key> (or name another variable in llm.apiKeyEnv). Keys never go in the config file.' });
    expect([byId.models!.status, report.ok]).toEqual(['skip', false]);
  });
});

describe.each(['openai', 'anthropic'] as const)('models over %s', (protocol) => {
  it('pass when each model answers a structured-output request', async () => {
    const root = (await project({ llm: llm(protocol) })).root;
    server.respondWith(() => ({ text: '{"ok": true}' }));
    const { report } = await doctor(root, keyEnv(protocol));
    expect(report.checks.filter((check) => check.id.startsWith('model:')).map((check) => [check.id, check.status])).toEqual([['model:main', 'pass'], ['model:light', 'pass']]);
    expect(server.requests.map((request) => [request.model, request.protocol === 'openai' ? request.body.response_format.type : Object.keys(request.body.output_config.format)])).toEqual([
      ['model-main', protocol === 'openai' ? 'json_schema' : ['type', 'schema']],
      ['model-light', protocol === 'openai' ? 'json_schema' : ['type', 'schema']],
    ]);
    expect(report.ok).toBe(true);
  });
  it('fail on a refused key (401) and on an unknown model (404), with the fix', async () => {
    const root = (await project({ llm: llm(protocol) })).root;
    server.enqueue({ fault: 'status', status: 401 }, { fault: 'status', status: 404 });
    const { report, byId } = await doctor(root, keyEnv(protocol));
    const variable = protocol === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
    expect([byId['model:main']!.status, byId['model:main']!.fix]).toEqual(['fail', `Check the API key in ${variable}: it was not accepted by ${protocol === 'openai' ? `${server.openaiBaseUrl}/chat/completions` : `${server.anthropicBaseUrl}/v1/messages`}.`]);
    expect([byId['model:light']!.status, byId['model:light']!.detail]).toEqual(['fail', `${protocol} model "model-light" (Maestro, review, commit messages): unknown model`]);
    expect(report.ok).toBe(false);
  });
  it('warn when the endpoint refuses structured output but answers plain JSON', async () => {
    const root = (await project({ llm: llm(protocol, oldServer) })).root;
    oldServer.respondWith(() => ({ text: '{"ok": true}' }));
    const { report, byId } = await doctor(root, keyEnv(protocol));
    expect([byId['model:main']!.status, byId['model:main']!.detail, report.ok]).toEqual(['warn', `${protocol} model "model-main" (Architect, objectives) answers, but the endpoint refuses JSON Schema structured output`, true]);
  });
  it('fail when the endpoint is unreachable', async () => {
    const root = (await project({ llm: { ...llm(protocol), baseUrl: protocol === 'openai' ? 'http://127.0.0.1:9/v1' : 'http://127.0.0.1:9' } })).root;
    const { byId } = await doctor(root, keyEnv(protocol));
    expect([byId['model:main']!.status, byId['model:main']!.fix]).toEqual(['fail', 'Check llm.baseUrl and the network (a proxy, a firewall), or that the local server is running.']);
  });
});

describe('configured commands on the base commit', () => {
  const validation = { tests: { command: 'node --test {files}', files: ['test/**/*.test.js'], workers: 1 } };
  it('pass when the test command passes there', async () => {
    const root = (await project({ llm: { provider: 'offline' }, sandbox: { linkPaths: [] }, validation }, { 'test/a.test.js': PASSING_TEST })).root;
    const { byId } = await doctor(root, { PATH: process.env.PATH }, { commands: true, probeJail: undefined });
    expect([byId['command:tests']!.status, byId['command:tests']!.detail.startsWith('"node --test {files}" passes on the base commit')]).toEqual(['pass', true]);
  });
  it('fail when it already fails there, and when no command is configured', async () => {
    const failing = (await project({ llm: { provider: 'offline' }, sandbox: { linkPaths: [] }, validation }, { 'test/a.test.js': FAILING_TEST })).root;
    const { byId, report } = await doctor(failing, { PATH: process.env.PATH }, { commands: true, probeJail: undefined });
    expect([byId['command:tests']!.status, byId['command:tests']!.fix, report.ok]).toEqual([
      'fail',
      'Make it pass on the base commit first (fix the code or the command), or turn the step off (validation.tests.command: null); every change would be rejected otherwise.',
      false,
    ]);
    await repo!.remove();
    const none = (await project({ llm: { provider: 'offline' } })).root;
    expect((await doctor(none, { PATH: process.env.PATH }, { commands: true })).byId.commands!.status).toBe('fail');
  });
});

describe('hephaestus doctor (CLI)', () => {
  it('prints one line per check with the fix, and exits 1 when one fails', async () => {
    const dir = await makeTempDir();
    await writeFile(path.join(dir, 'README.md'), '# not a repository\n');
    const result = await runCli(['doctor', '--repo', dir, '--no-commands'], { env: { XDG_CONFIG_HOME: dir } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n').filter((line) => /^[✔!✘-] /.test(line)).map((line) => line.slice(0, 13))).toEqual(['✔ node       ', '✔ git        ', '✘ repository ', '✔ config     ', '! provider   ', '- key        ', '- models     ', expect.stringMatching(/^[✔✘] jail/), '- state      ', '- commands   ']);
    expect(result.stdout).toContain('  fix: Run it inside a git repository, or pass --repo DIR (git init to start one).');
    expect(result.stdout.trimEnd().endsWith('1 check failed.')).toBe(true);
  });
  it('--json prints the report and exits 0 when every check passes or warns', async () => {
    const root = (await project({ llm: { provider: 'offline' }, sandbox: { isolation: 'none' } })).root;
    const result = await runCli(['doctor', '--repo', root, '--json', '--no-commands'], { env: { XDG_CONFIG_HOME: root } });
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: Array<{ id: string; status: string }> };
    expect([result.exitCode, report.ok, report.checks.find((check) => check.id === 'jail')!.status]).toEqual([0, true, 'warn']);
  });
});
