// A hand-written AGENTS.md (the open convention for instructions to coding agents) is never
// rewritten: `hephaestus manifest` puts the map in .hephaestus/AGENTS.md or between the user's
// begin/end markers, and the Architect gets the hand-written text as the repository's rules.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildArchitectPrompt } from '../../agent/architect/build-architect-prompt.js';
import { configSchema } from '../../agent/config/schema.js';
import { GENERATED_MARKER, REGION_BEGIN, REGION_END } from '../../agent/manifest/manifest-ownership.js';
import { scanRepository } from '../../agent/scanner/scan-repository.js';
import { PROMPTS_DIR } from '../architect/architect-kit.js';
import { runCli } from '../support/run-cli.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
afterEach(async () => repo?.remove());

const RULES = '# Rules\n\nAlways run npm test. Use tabs.\n';
const SOURCE = { 'src/a.ts': '/** One. */\nexport const one = 1;\n' };

describe('a hand-written AGENTS.md', () => {
  it('is left unchanged by hephaestus manifest; the map goes to .hephaestus/AGENTS.md, which --check checks', async () => {
    repo = await makeTempRepo({ ...SOURCE, 'AGENTS.md': RULES });
    const result = await runCli(['manifest', '--repo', repo.root]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe(
      `AGENTS.md is hand-written (it has no generated marker), so it is left unchanged and given to the Architect as the repository's rules; the map is in .hephaestus/AGENTS.md. To keep the map in AGENTS.md, add the lines ${REGION_BEGIN} and ${REGION_END} where it should go.`,
    );
    expect(result.stdout).toMatch(/^Wrote \.hephaestus\/AGENTS\.md \(/);
    expect(await readFile(path.join(repo.root, 'AGENTS.md'), 'utf8')).toBe(RULES);
    const map = await readFile(path.join(repo.root, '.hephaestus', 'AGENTS.md'), 'utf8');
    expect(map.split('\n').slice(0, 2)).toEqual([GENERATED_MARKER, '# AGENTS.md']);
    expect(map).toContain('- `const one = 1` — One.');
    expect(await runCli(['manifest', '--check', '--repo', repo.root])).toMatchObject({ exitCode: 0, stdout: '.hephaestus/AGENTS.md is up to date.' });
    expect(await repo.git('status', '--porcelain')).toBe('');
  });

  it('with begin/end markers keeps the map between them and every hand-written line around them', async () => {
    const text = `${RULES}\n${REGION_BEGIN}\nold map\n${REGION_END}\n\nMore rules after the map.\n`;
    repo = await makeTempRepo({ ...SOURCE, 'AGENTS.md': text });
    const result = await runCli(['manifest', '--repo', repo.root]);
    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const written = await readFile(path.join(repo.root, 'AGENTS.md'), 'utf8');
    expect(written.startsWith(`${RULES}\n${REGION_BEGIN}\n# AGENTS.md\n`)).toBe(true);
    expect(written.endsWith(`${REGION_END}\n\nMore rules after the map.\n`)).toBe(true);
    expect(written).toContain('- `const one = 1` — One.');
    expect(written).not.toContain('old map');
    expect(await runCli(['manifest', '--check', '--repo', repo.root])).toMatchObject({ exitCode: 0, stdout: 'AGENTS.md is up to date.' });
  });

  it('reaches the Architect as the repository rules, with CLAUDE.md, copilot instructions and CONTRIBUTING.md, within the budget', async () => {
    repo = await makeTempRepo({
      ...SOURCE,
      'AGENTS.md': RULES,
      'CLAUDE.md': 'Prefer small functions.\n',
      '.github/copilot-instructions.md': 'Write JSDoc for every export.\n',
      'CONTRIBUTING.md': Array.from({ length: 400 }, (_, index) => `Contribution guideline number ${index + 1}.`).join('\n'),
    });
    const config = configSchema.parse({ prompts: { dir: PROMPTS_DIR }, architect: { rulesTokens: 300 } });
    const scan = await scanRepository(repo.root, { config });
    const prompt = await buildArchitectPrompt({ objective: { text: 'Add two', files: [] }, scan, manifest: '(map)', lessons: [] }, { repoRoot: repo.root, config });
    const rules = /## Repository rules\n\n[^\n]*\n[^\n]*\n\n([\s\S]*?)\n\n## Repository manifest/.exec(prompt.system.map((block) => block.text).join(''))?.[1] ?? '';
    expect(rules.split('\n').slice(0, 12)).toEqual([
      '### AGENTS.md',
      '',
      '# Rules',
      '',
      'Always run npm test. Use tabs.',
      '',
      '### CLAUDE.md',
      '',
      'Prefer small functions.',
      '',
      '### .github/copilot-instructions.md',
      '',
    ]);
    expect(rules).toContain('### CONTRIBUTING.md (cut to fit the context budget)\n\nContribution guideline number 1.\n');
    expect(rules).not.toContain('Contribution guideline number 400.');
    expect(Math.ceil(rules.length / 4)).toBeLessThanOrEqual(300 + 40);
  });

  it('a generated AGENTS.md gives the Architect no rules', async () => {
    repo = await makeTempRepo({ ...SOURCE, 'AGENTS.md': `${GENERATED_MARKER}\n# AGENTS.md\n\nthe map\n` });
    const config = configSchema.parse({ prompts: { dir: PROMPTS_DIR } });
    const scan = await scanRepository(repo.root, { config });
    const prompt = await buildArchitectPrompt({ objective: { text: 'Add two', files: [] }, scan, manifest: '(map)', lessons: [] }, { repoRoot: repo.root, config });
    expect(prompt.system.map((block) => block.text).join('')).toContain('## Repository rules\n\nThe repository\'s own instructions to coding agents. Follow them unless they contradict the\nplan format above.\n\n(none)\n\n## Repository manifest');
  });
});
