// The host download cache: files by content hash (a damaged one is not
// trusted), and index JSON served from the cache when the index cannot be
// reached, with the caller told so.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PackageCache } from './package-cache.js';
import { sha256Hex } from '../node/sha256-hex.js';
import { PackageFetcher } from './package-fetch.js';
import { serveTestIndex } from './test-index-server.js';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-pkg-cache-'));
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it('finds a file by a hash prefix and drops a copy damaged on disk', async () => {
  const cache = new PackageCache(path.join(dir, 'c1'));
  const data = Buffer.from('print(1)\n');
  const h = await cache.putFile(data);
  expect(h).toBe(sha256Hex(data));
  expect((await cache.findFile(h.slice(0, 8)))?.data.toString()).toBe('print(1)\n');
  fs.writeFileSync(path.join(dir, 'c1', 'files', h.slice(0, 2), h), 'tampered');
  expect(await cache.findFile(h.slice(0, 8))).toBeNull();
  expect(fs.existsSync(path.join(dir, 'c1', 'files', h.slice(0, 2), h))).toBe(false);
});

it('uses the cached index JSON when the index is unreachable, and says so', async () => {
  const index = await serveTestIndex({ packages: [{ name: 'x', version: '1', description: 'X', files: { 'x.py': 'X = 1\n' } }] });
  const url = `${index.url}/index.json`;
  const cache = new PackageCache(path.join(dir, 'c2'));
  const online = await new PackageFetcher({ cache }).json(url);
  await index.close();
  const told: string[] = [];
  const offline = await new PackageFetcher({ cache, onOffline: (u, why) => told.push(`${u}: ${why}`) }).json(url);
  expect(offline).toEqual(online);
  // The cause depends on the pooled socket: refused, or reset on reuse.
  expect(told).toEqual([expect.stringMatching(/index\.json: cannot reach http:.*index\.json: (ECONNREFUSED|UND_ERR_SOCKET|ECONNRESET)$/)]);
  // With nothing cached the network error itself is reported.
  await expect(new PackageFetcher({ cache: new PackageCache(path.join(dir, 'c3')) }).json(url)).rejects.toThrow(/cannot reach .*index\.json: (ECONNREFUSED|UND_ERR_SOCKET|ECONNRESET)$/);
});

it('says the computer may be offline when the index host name does not resolve', async () => {
  // .invalid never resolves (RFC 2606): NXDOMAIN with a resolver, EAI_AGAIN without one.
  const fetcher = new PackageFetcher({ cache: new PackageCache(path.join(dir, 'c4')), timeoutMs: 10000 });
  await expect(fetcher.json('http://mote-index.invalid/index.json')).rejects.toThrow(/: (ENOTFOUND|EAI_AGAIN) \(the host name was not found: is this computer online\?/);
});
