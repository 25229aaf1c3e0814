// Prompt templates: built-ins, per-repository overrides, and missing placeholders as errors.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillTemplate, promptSourceOf, renderPrompt } from '../../agent/prompts/render-prompt.js';
import { makeTempDir } from '../support/temp-repo.js';

describe('prompt templates', () => {
  it('fills placeholders once, without expanding placeholders inside values', () => {
    expect(fillTemplate('Goal: {{objective}}\nFiles: {{ files }}', { objective: 'use {{files}} literally', files: 'a.ts' })).toBe(
      'Goal: use {{files}} literally\nFiles: a.ts',
    );
  });

  it('a placeholder without a value names the template and the placeholder', () => {
    expect(() => fillTemplate('{{objective}} {{manifest}}', { objective: 'x' }, 'architect.md')).toThrow(
      'architect.md: no value for placeholder(s) {{manifest}}; provided: objective',
    );
  });

  it('prompts.dir overrides a built-in template by name, and falls back to the built-in otherwise', async () => {
    const repoRoot = await makeTempDir();
    await mkdir(path.join(repoRoot, 'my-prompts'));
    await writeFile(path.join(repoRoot, 'my-prompts', 'maestro.md'), 'Pick one of {{strategies}}.');
    const source = promptSourceOf(repoRoot, 'my-prompts');
    expect(await renderPrompt('maestro', { strategies: 'A, B' }, source)).toBe('Pick one of A, B.');
    const builtIn = await renderPrompt('maestro', { strategies: 'S', stats: 'T', analysis: 'U', files: 'V' }, promptSourceOf(repoRoot, null));
    expect(builtIn.startsWith('You are the Maestro of Hephaestus')).toBe(true);
    await expect(renderPrompt('no-such-role', {}, source)).rejects.toThrow(/prompt template "no-such-role\.md" not found in .*my-prompts\/no-such-role\.md or .*prompts\/no-such-role\.md/);
  });
});
