// Invalid configurations reach the user as one exact message naming the file, the JSON path,
// what was expected and what came, and the CLI exits 2 (real child processes, real files).
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
afterEach(async () => repo?.remove());

async function initWithConfig(text: string, env: Record<string, string> = {}) {
  repo = await makeTempRepo({ 'hephaestus.config.json': text });
  return runCli(['init', '--repo', repo.root], { env });
}

describe('invalid hephaestus.config.json', () => {
  it('bad JSON names the line and column', async () => {
    const result = await initWithConfig('{\n  // the model\n  "llm": {\n    "temperature": 0.2\n    "maxTokens": 100\n  }\n}\n');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `hephaestus: ${repo.root}/hephaestus.config.json: not valid JSON at line 5, column 5: expected a comma. Comments and trailing commas are fine; check the text there.`,
    );
    expect(result.stdout).toBe('');
  });

  it('a wrong type names the path, the expected type and the value received', async () => {
    const result = await initWithConfig('{"validation": {"tests": {"workers": "two"}}}');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `hephaestus: ${repo.root}/hephaestus.config.json: invalid configuration\n  validation.tests.workers: expected number, received string "two"`,
    );
  });

  it('an unknown key is an error with a "did you mean" suggestion', async () => {
    const result = await initWithConfig('{"llm": {"temprature": 1}, "sandbx": {}}');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      [
        `hephaestus: ${repo.root}/hephaestus.config.json: invalid configuration`,
        '  llm.temprature: unknown key "temprature"; did you mean "temperature"?',
        '  sandbx: unknown key "sandbx"; did you mean "sandbox"?',
      ].join('\n'),
    );
  });

  it('an unknown strategy step names the strategy, the step and how to define it', async () => {
    const result = await initWithConfig('{"strategies": {"definitions": {"QUICK": {"steps": ["syntax", "unit-tests", "command:e2e"]}}}}');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      [
        `hephaestus: ${repo.root}/hephaestus.config.json: invalid configuration`,
        '  strategies.definitions.QUICK.steps[1]: unknown step "unit-tests"; expected one of syntax, typecheck, lint, tests, tests:affected, command:<name>',
        '  strategies.definitions.QUICK.steps[2]: unknown step "command:e2e": define "e2e" under validation.commands (none defined)',
      ].join('\n'),
    );
  });

  it('enum and union mismatches list the allowed values', async () => {
    const result = await initWithConfig('{"llm": {"cache": {"mode": "sometimes"}}, "validation": {"tests": {"command": 5}}}');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      [
        `hephaestus: ${repo.root}/hephaestus.config.json: invalid configuration`,
        '  llm.cache.mode: expected one of "all" | "deterministic" | "off", received string "sometimes"',
        '  validation.tests.command: expected string or array, received number 5',
      ].join('\n'),
    );
  });

  it('an unknown default strategy is reported with the known ones', async () => {
    const result = await initWithConfig('{"strategies": {"default": "FAST"}}');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      [
        `hephaestus: ${repo.root}/hephaestus.config.json: invalid configuration`,
        '  strategies.default: unknown strategy "FAST"; known: SYNTAX_ONLY, SYNTAX_AND_TESTS, FULL_VALIDATION, DOC_UPDATE, CONFIG_UPDATE, CREATE_NEW_TEST_FILE, TEST_FIX, DISCARD',
      ].join('\n'),
    );
  });

  it('a bad environment override names the variable, and a pasted key is redacted', async () => {
    const key = 'sk-live-abcdef1234567890';
    const result = await initWithConfig('{}', { HEPHAESTUS_LLM_PROVIDER: key, OPENAI_API_KEY: key });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'hephaestus: environment variable HEPHAESTUS_LLM_PROVIDER: expected one of auto | openai | anthropic | offline, received "[REDACTED]"',
    );
  });

  it('a valid config with env overrides loads', async () => {
    const result = await initWithConfig('{"llm": {"provider": "openai"}}', { HEPHAESTUS_LLM_BASE_URL: 'http://127.0.0.1:11434/v1' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(
      `${repo.root}/hephaestus.config.json already exists and is valid; left unchanged (use --force to overwrite). Detected: generic, no test runner.`,
    );
  });
});
