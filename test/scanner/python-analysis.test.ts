import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../agent/cache/open-cache.js';
import { configSchema } from '../../agent/config/schema.js';
import { affectedTests, untestedModules } from '../../agent/scanner/import-graph.js';
import { scanRepository } from '../../agent/scanner/scan-repository.js';
import { renderMetricsSummary, summarizeMetrics } from '../../agent/scanner/summarize-metrics.js';
import { stateDirOf } from '../../agent/state/state-dir.js';
import { makeTempRepo, type TempRepo } from '../support/temp-repo.js';

const config = configSchema.parse({});

// A src-layout package: the shape of a real one (multi-line signatures, overloads, decorators,
// docstrings, relative and absolute imports, a pytest test directory without __init__.py).
const ENCODING = `"""Encoding helpers.

Longer text that is not the summary.
"""
from __future__ import annotations

import base64
import typing as t

DEFAULT_ENCODING = "utf-8"
_cache: dict[str, bytes] = {}
counter = 0


def want_bytes(
    s: str | bytes,
    encoding: str = DEFAULT_ENCODING,  # the usual one
    errors: str = "strict",
) -> bytes:
    """Turn text into bytes. Bytes are returned as they are."""
    if isinstance(s, str) and encoding or errors:
        s = s.encode(encoding, errors)
    return s


async def fetch(url):
    return [part for part in url.split("/") if part]


def _private():
    pass
`;

const SIGNER = `from .encoding import want_bytes
from . import exc


class Signer:
    """A signer signs bytes."""

    default_digest: str = "sha1"

    @t.overload
    def __init__(self, key: str) -> None: ...

    def __init__(self, key, salt=None):
        self.key = want_bytes(key)

    @property
    def secret(self) -> bytes:
        """The key in use."""
        return self.key

    @classmethod
    def create(cls): return cls("k")

    def sign(self, value):
        for _ in range(2):
            try:
                value = value + b"."
            except TypeError:
                raise exc.BadData("no")
        return value if value else b""

    def _helper(self):
        def inner():
            return 1 if self else 2
        return inner
`;

const FILES: Record<string, string> = {
  'src/pkg/__init__.py': 'from .signer import Signer as Signer\nfrom .encoding import want_bytes\n',
  'src/pkg/encoding.py': ENCODING,
  'src/pkg/signer.py': SIGNER,
  'src/pkg/exc.py': 'class BadData(Exception):\n    pass\n',
  'src/pkg/unused.py': 'def lonely():\n    return 1\n',
  'tests/conftest.py': 'import pytest\n',
  'tests/test_signer.py': 'from pkg.signer import Signer\n\n\ndef test_sign():\n    assert Signer("k").sign(b"a")\n',
  'tests/test_encoding.py': 'import pkg.encoding\n\n\ndef test_want_bytes():\n    assert pkg.encoding.want_bytes("a") == b"a"\n',
  'docs/conf.py': 'project = "pkg"\nextensions = []\n',
  'broken.py': 'def broken(:\n    pass\n',
};

describe('Python files', () => {
  let repo: TempRepo;
  afterEach(async () => repo?.remove());

  it('are parsed: full signatures, docstrings, constants, methods and re-exports', async () => {
    repo = await makeTempRepo(FILES);
    const scan = await scanRepository(repo.root, { config });
    const file = (path: string) => scan.files.find((candidate) => candidate.path === path)!;

    expect(file('src/pkg/encoding.py').status).toBe('parsed');
    expect(file('src/pkg/encoding.py').summary).toBe('Encoding helpers.');
    expect(file('src/pkg/encoding.py').symbols).toEqual([
      { name: 'DEFAULT_ENCODING', kind: 'variable', signature: 'DEFAULT_ENCODING = "utf-8"', line: 10 },
      {
        name: 'want_bytes',
        kind: 'function',
        signature: 'def want_bytes(s: str | bytes, encoding: str = DEFAULT_ENCODING, errors: str = "strict") -> bytes',
        line: 15,
        doc: 'Turn text into bytes.',
      },
      { name: 'fetch', kind: 'function', signature: 'async def fetch(url)', line: 26 },
    ]);
    expect(file('src/pkg/signer.py').symbols).toEqual([
      {
        name: 'Signer',
        kind: 'class',
        signature: 'class Signer',
        line: 5,
        doc: 'A signer signs bytes.',
        members: [
          { name: 'default_digest', kind: 'property', signature: 'default_digest: str', line: 8 },
          { name: '__init__', kind: 'constructor', signature: 'def __init__(self, key, salt=None)', line: 13 },
          { name: 'secret', kind: 'accessor', signature: '@property def secret(self) -> bytes', line: 17, doc: 'The key in use.' },
          { name: 'create', kind: 'method', signature: '@classmethod def create(cls)', line: 22 },
          { name: 'sign', kind: 'method', signature: 'def sign(self, value)', line: 24 },
        ],
      },
    ]);
    expect(file('src/pkg/__init__.py').symbols.map((symbol) => `${symbol.kind} ${symbol.signature}`)).toEqual([
      're-export from .signer import Signer as Signer',
      're-export from .encoding import want_bytes',
    ]);
    expect(file('docs/conf.py').symbols).toEqual([]);
  });

  it('have function metrics and syntax errors', async () => {
    repo = await makeTempRepo(FILES);
    const scan = await scanRepository(repo.root, { config });
    const file = (path: string) => scan.files.find((candidate) => candidate.path === path)!;

    expect(file('src/pkg/signer.py').functions.map((metric) => `${metric.name} ${metric.kind} line ${metric.line}, ${metric.length} lines, complexity ${metric.complexity}`)).toEqual([
      'Signer.__init__ constructor line 11, 1 lines, complexity 1',
      'Signer.__init__ constructor line 13, 2 lines, complexity 1',
      'Signer.secret method line 17, 3 lines, complexity 1',
      'Signer.create method line 22, 1 lines, complexity 1',
      // for, except, conditional expression
      'Signer.sign method line 24, 7 lines, complexity 4',
      'Signer._helper method line 32, 4 lines, complexity 1',
      'inner function line 33, 2 lines, complexity 2',
    ]);
    // if, two boolean operators; then a comprehension's for and if.
    expect(file('src/pkg/encoding.py').functions.map((metric) => [metric.name, metric.complexity])).toEqual([
      ['want_bytes', 4],
      ['fetch', 3],
      ['_private', 1],
    ]);
    expect(file('broken.py').syntaxErrors).toEqual([{ line: 1, column: 12, message: 'missing ")"' }]);
    expect(scan.files.flatMap((candidate) => (candidate.path === 'broken.py' ? [] : candidate.syntaxErrors))).toEqual([]);
    const summary = renderMetricsSummary(summarizeMetrics(scan));
    expect(summary.split('\n')[0]).toBe('10 files (10 code, 2 tests), 87 lines, 12 functions outside tests, 0 TODO/FIXME markers, 1 syntax errors, 0 files not read.');
  });

  it('import each other: the tests affected by a change run first, and modules no test reaches are listed', async () => {
    repo = await makeTempRepo(FILES);
    const scan = await scanRepository(repo.root, { config });

    expect(scan.graph.imports).toEqual({
      'src/pkg/__init__.py': ['src/pkg/encoding.py', 'src/pkg/signer.py'],
      'src/pkg/signer.py': ['src/pkg/__init__.py', 'src/pkg/encoding.py', 'src/pkg/exc.py'],
      'tests/test_encoding.py': ['src/pkg/__init__.py', 'src/pkg/encoding.py'],
      'tests/test_signer.py': ['src/pkg/__init__.py', 'src/pkg/signer.py'],
    });
    expect(affectedTests(scan, ['src/pkg/exc.py'])).toEqual(['tests/test_signer.py', 'tests/test_encoding.py']);
    expect(affectedTests(scan, ['src/pkg/unused.py'])).toEqual([]);
    expect(untestedModules(scan)).toEqual(['src/pkg/unused.py']);
  });

  it('are not parsed again on a rescan unless they changed', async () => {
    repo = await makeTempRepo(FILES);
    const cache = await openCache(stateDirOf(repo.root), 'scan');
    try {
      const cold = await scanRepository(repo.root, { config, cache });
      await repo.write('src/pkg/unused.py', 'def lonely():\n    return 2\n');
      const changed = await scanRepository(repo.root, { config, cache });
      expect([cold.stats.parsed, changed.stats.parsed]).toEqual([10, 1]);
      expect(changed.files.find((file) => file.path === 'src/pkg/signer.py')).toEqual(cold.files.find((file) => file.path === 'src/pkg/signer.py'));
    } finally {
      await cache.disconnect();
    }
  });
});
