// Which unused variables the offline engine removes: only those whose initializer cannot have a
// side effect (no call, assignment, `new`, tagged template, await, yield, delete, ++/--).
import { afterEach, describe, expect, it } from 'vitest';
import { findCodeFixes } from '../../agent/offline/find-code-fixes.js';
import { openLanguageService } from '../../agent/offline/open-language-service.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const SAMPLE = `let total = 0;
function tick(): number {
  return Date.now();
}

export async function sample(windows: boolean, items: number[], record: Record<string, number>, flag: boolean, count: number): Promise<number> {
  const sep = windows ? '\\\\' : '/';
  const label = \`total \${count}\`;
  const size = items.length * 2;
  const handler = () => tick();
  const shape = { kind: 'circle', area: (radius: number) => radius * radius };
  const check = typeof record === 'object' && !flag;
  const started = tick();
  const next = count++;
  const assigned = (total = 3);
  const created = new Date();
  const tagged = String.raw\`a\${count}\`;
  const awaited = await Promise.resolve(1);
  const removed = delete record.key;
  const copy = [...items];
  const keyed = { [tick()]: 1 };
  const decremented = --count;
  const added = (total += 1);
  return count + total;
}
`;

describe('unused variables', () => {
  let repo: TempRepo;
  afterEach(async () => repo?.remove());

  it('are removed when their initializer has no side effects, conditional expressions included', async () => {
    repo = await makeTempRepo({
      'tsconfig.json': '{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true, "noEmit": true, "noUnusedLocals": true } }\n',
      'src/sample.ts': SAMPLE,
    });
    const fixes = findCodeFixes(openLanguageService(repo.root, ['src/sample.ts']));
    expect(fixes.filter((fix) => fix.kind === 'unused-declaration').map((fix) => fix.objective)).toEqual([
      'Remove unused variable `sep` from src/sample.ts (in `sample`, cleanup)',
      'Remove unused variable `label` from src/sample.ts (in `sample`, cleanup)',
      'Remove unused variable `size` from src/sample.ts (in `sample`, cleanup)',
      'Remove unused variable `handler` from src/sample.ts (in `sample`, cleanup)',
      'Remove unused variable `shape` from src/sample.ts (in `sample`, cleanup)',
      'Remove unused variable `check` from src/sample.ts (in `sample`, cleanup)',
    ]);
    const sep = fixes.find((fix) => fix.objective.includes('`sep`'))!;
    expect(sep.after).toBe(sep.before.replace("  const sep = windows ? '\\\\' : '/';\n", ''));
  });
});
