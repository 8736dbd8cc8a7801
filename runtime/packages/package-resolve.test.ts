// Specs and package JSON as mip reads them, resolved against an index on
// 127.0.0.1: versions, github: rewriting with a ref, single-file URLs, and
// package JSON that would write outside the target refused.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteUrl } from './index-urls.js';
import { PackageCache } from './package-cache.js';
import { PackageFetcher } from './package-fetch.js';
import { PackageFormatError, parsePackageJson, resolvePackages } from './package-resolve.js';
import { parsePackageSpec } from './package-spec.js';
import { serveTestIndex, type TestIndex } from './test-index-server.js';

let dir: string;
let index: TestIndex;
let fetcher: PackageFetcher;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-resolve-'));
  index = await serveTestIndex({
    packages: [{ name: 'a', version: '2.0', description: '', files: { 'a.py': 'A = 1\n' }, deps: [['b', '']] }, { name: 'b', version: '1.0', description: '', files: { 'b.py': 'B = 1\n' }, deps: [['a', '2.0']] }],
    extra: {
      '/gh/org/repo/v1.2/tool.py': 'T = 1\n',
      '/evil/package.json': JSON.stringify({ urls: [['../boot.py', 'x.py']] }),
    },
  });
  fetcher = new PackageFetcher({ cache: new PackageCache(path.join(dir, 'cache')) });
});

afterAll(async () => {
  await index?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('package specs', () => {
  it('reads names, versions and URLs', () => {
    expect(parsePackageSpec('aioble@0.4')).toEqual({ kind: 'index', name: 'aioble', version: '0.4' });
    expect(parsePackageSpec('umqtt.simple')).toEqual({ kind: 'index', name: 'umqtt.simple', version: null });
    expect(parsePackageSpec('github:org/repo/lib@v2')).toEqual({ kind: 'url', url: 'github:org/repo/lib', version: 'v2' });
    expect(parsePackageSpec('https://user@host.example/p/package.json')).toEqual({ kind: 'url', url: 'https://user@host.example/p/package.json', version: null });
  });

  it('refuses what is neither', () => {
    expect(() => parsePackageSpec('')).toThrow(/no package named/);
    expect(() => parsePackageSpec('../etc')).toThrow(/not a package name/);
    expect(() => parsePackageSpec('github:justorg')).toThrow(/github:ORG\/REPO/);
    expect(() => parsePackageSpec('a@')).toThrow(/"" is not a version/);
  });

  it('rewrites github: and gitlab: like mip, to a configurable base', () => {
    expect(rewriteUrl({}, 'github:org/repo/x/y.py', null)).toBe('https://raw.githubusercontent.com/org/repo/HEAD/x/y.py');
    expect(rewriteUrl({ githubBase: 'http://127.0.0.1:9/gh/' }, 'github:org/repo', 'v1')).toBe('http://127.0.0.1:9/gh/org/repo/v1/');
    expect(rewriteUrl({}, 'gitlab:org/repo/p.py', 'main')).toBe('https://gitlab.com/org/repo/-/raw/main/p.py');
  });
});

describe('resolution', () => {
  it('follows dependencies once, even in a cycle, dependencies first', async () => {
    const r = await resolvePackages(['a'], fetcher, { index: index.url, mpy: null });
    expect(r.map((p) => [p.name, p.version, p.deps])).toEqual([
      ['b', '1.0', ['a']],
      ['a', '2.0', ['b']],
    ]);
    expect(r[1].files).toEqual([{ path: 'a.py', url: expect.stringMatching(/\/file\/[0-9a-f]{2}\/[0-9a-f]{8}$/), hash: expect.stringMatching(/^[0-9a-f]{8}$/) }]);
  });

  it('takes a single .py from github: at a ref', async () => {
    const r = await resolvePackages(['github:org/repo/tool.py@v1.2'], fetcher, { index: index.url, githubBase: `${index.origin}/gh`, mpy: 6 });
    expect(r[0].files).toEqual([{ path: 'tool.py', url: `${index.origin}/gh/org/repo/v1.2/tool.py`, hash: null }]);
  });

  it('refuses a package that would write outside the target', async () => {
    await expect(resolvePackages([`${index.origin}/evil/package.json`], fetcher, { index: index.url, mpy: null })).rejects.toThrow(/"\.\.\/boot\.py", which is not a plain relative path/);
  });

  it('refuses malformed package JSON with what is wrong', () => {
    expect(() => parsePackageJson([], 'x')).toThrow(PackageFormatError);
    expect(() => parsePackageJson({ hashes: [['a.py']] }, 'x')).toThrow(/"hashes"\[0\] that is not a \[string, string\] pair/);
    expect(() => parsePackageJson({ hashes: [['a.py', 'zzzz']] }, 'x')).toThrow(/not a hex SHA-256 prefix/);
  });
});
