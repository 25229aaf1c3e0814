// The dependency direction of the sources, read from their import statements: no file reaches
// itself through imports (type-only ones included); agent/core/ is the bottom layer and imports
// nothing of ours; strategies/ and sandbox/ use agent/core/ and only the listed modules of the
// rest of agent/ — the lists are the boundary; shrink them, never grow them quietly.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOP_FOLDERS = ['agent', 'strategies', 'sandbox'];
const CORE = 'agent/core/';
/** What strategies/ may import from agent/ besides agent/core/: the config contract, the git gateway and two small utilities. */
const STRATEGIES_MAY_IMPORT = ['agent/config/schema.ts', 'agent/git/git-environment.ts', 'agent/state/atomic-write.ts', 'agent/scanner/test-files.ts'];
/** What sandbox/ may import from agent/ besides agent/core/: the git gateway. */
const SANDBOX_MAY_IMPORT = ['agent/git/git-environment.ts'];

/** Cycles that exist today, to be broken; a new one fails the test, and so does breaking one without removing it here. */
const KNOWN_CYCLES: string[][] = [];

async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const top of TOP_FOLDERS) {
    for (const entry of await readdir(path.join(ROOT, top), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    }
  }
  return files.sort();
}

async function importGraph(): Promise<Map<string, string[]>> {
  const files = await sourceFiles();
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = await readFile(path.join(ROOT, file), 'utf8');
    const targets = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)]
      .map((match) => path.posix.normalize(path.posix.join(path.posix.dirname(file), (match[1] ?? match[2]!).replace(/\.js$/, '.ts'))))
      .filter((target) => known.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected groups of more than one file (Tarjan), each sorted. */
function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(group.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

describe('dependency direction', () => {
  it('no source file imports itself through other files (beyond the known cycles)', async () => {
    const sortGroups = (groups: string[][]) => groups.map((group) => group.join(' ')).sort();
    expect(sortGroups(importCycles(await importGraph()))).toEqual(sortGroups(KNOWN_CYCLES));
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('agent/core/ imports nothing of ours outside itself', async () => {
    const crossings = [...(await importGraph())].flatMap(([file, targets]) => (file.startsWith(CORE) ? targets.filter((target) => !target.startsWith(CORE)).map((target) => `${file} -> ${target}`) : []));
    expect(crossings).toEqual([]);
  });

  it('strategies/ and sandbox/ import from agent/ only agent/core/ and the listed modules, and sandbox/ nothing of strategies/', async () => {
    const crossings: string[] = [];
    for (const [file, targets] of await importGraph()) {
      if (file.startsWith('agent/')) continue;
      const allowed = file.startsWith('sandbox/') ? SANDBOX_MAY_IMPORT : STRATEGIES_MAY_IMPORT;
      for (const target of targets) {
        if (target.startsWith('agent/') && !target.startsWith(CORE) && !allowed.includes(target)) crossings.push(`${file} -> ${target}`);
        if (file.startsWith('sandbox/') && target.startsWith('strategies/')) crossings.push(`${file} -> ${target}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('lists only modules that are imported (a stale entry is a boundary nobody uses)', async () => {
    const used = new Set([...(await importGraph())].filter(([file]) => !file.startsWith('agent/')).flatMap(([, targets]) => targets));
    expect([...STRATEGIES_MAY_IMPORT, ...SANDBOX_MAY_IMPORT].filter((module) => !used.has(module))).toEqual([]);
  });
});
