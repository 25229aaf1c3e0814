// Which plans the optional review sees: deletions, processes, eval, network — found in the
// text a plan adds, never in what it removes.
import { describe, expect, test } from 'vitest';
import { findPlanRisks, isRiskyPlan } from '../../agent/review.js';
import type { Patch, PatchPlan } from '../../agent/patches/plan-schema.js';

const replaceWith = (content: string | string[]): Patch => ({ operation: 'REPLACE', file_path: 'src/a.ts', block_to_replace: 'old', content, is_regex: undefined });
const planOf = (...patches: Patch[]): PatchPlan => ({ analysis: '', patches, capability_gap: undefined });
const changed = new Map<string, string | null>([['src/a.ts', 'new content']]);

describe('findPlanRisks', () => {
  const cases: Array<[string, Patch, string[]]> = [
    ['an ES import of child_process', replaceWith("import { spawn } from 'child_process';"), ['child-process: imports child_process']],
    ['a require of node:child_process', replaceWith('const { execSync } = require("node:child_process");'), ['child-process: imports child_process']],
    ['a dynamic import of child_process/promises-like subpaths', replaceWith("await import('node:child_process')"), ['child-process: imports child_process']],
    ['Python subprocess', replaceWith(['import subprocess', 'subprocess.run(["ls"])']), ['child-process: runs processes (subprocess / os.system)']],
    ['eval()', replaceWith('const value = eval(source);'), ['eval: calls eval()']],
    ['new Function()', replaceWith("const add = new Function('a', 'b', 'return a + b');"), ['eval: builds code with new Function()']],
    ['fetch()', replaceWith("const response = await fetch('https://example.com');"), ['network: makes network requests (fetch / WebSocket)']],
    ['node:http', replaceWith("import http from 'node:http';"), ['network: imports a network module']],
    ['net via require', replaceWith("const net = require('net');"), ['network: imports a network module']],
    ['dgram', replaceWith("import dgram from 'dgram';"), ['network: imports a network module']],
    ['Python requests', replaceWith('import requests\n'), ['network: imports a Python network module']],
    ['a DIFF adding a child_process import', { operation: 'DIFF', file_path: 'src/a.ts', diff: "@@ -1,1 +1,2 @@\n+import { exec } from 'node:child_process';\n const a = 1;" }, ['child-process: imports child_process']],
    ['a DIFF removing a child_process import', { operation: 'DIFF', file_path: 'src/a.ts', diff: "@@ -1,2 +1,1 @@\n-import { exec } from 'node:child_process';\n const a = 1;" }, []],
    ['a deleted block', { operation: 'DELETE_BLOCK', file_path: 'src/a.ts', block_to_delete: 'export const unused = 1;', is_regex: undefined }, ['deletion: deletes a block of code']],
    ['a local module named http', replaceWith("import { get } from './http.js';"), []],
    ['a package whose name starts with http', replaceWith("import createError from 'http-errors';"), []],
    ['words that contain eval or fetch', replaceWith('const evaluation = prefetch(retrieval); model.eval();'), []],
    ['an ordinary change', replaceWith('export const answer = 42;'), []],
  ];
  test.each(cases)('%s', (_name, patch, expected) => {
    const risks = findPlanRisks(planOf(patch), changed);
    expect(risks.map((risk) => `${risk.kind}: ${risk.detail}`)).toEqual(expected);
    expect(isRiskyPlan(planOf(patch), changed)).toBe(expected.length > 0);
  });

  test('a deleted file is a deletion, named once per file', () => {
    const plan = planOf({ operation: 'DELETE_BLOCK', file_path: 'src/old.ts', block_to_delete: null, is_regex: undefined });
    expect(findPlanRisks(plan, new Map([['src/old.ts', null]]))).toEqual([{ kind: 'deletion', file: 'src/old.ts', detail: 'deletes the file' }]);
  });
});
