// The firmware catalogue against a local HTTP server on 127.0.0.1 standing in
// for micropython.org (no internet in tests), then offline from the cache.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueEntries, FirmwareCache, loadLocalFirmware } from './catalogue.js';
import { FIRMWARE_BASE_URL } from './catalogue-data.js';

let dir: string;
let server: http.Server;
let base: string;
let requests = 0;
const image = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 13) & 0xff));
const sha = createHash('sha256').update(image).digest('hex');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-cat-'));
  server = http.createServer((req, res) => {
    requests++;
    if (req.url === '/resources/firmware/ESP32_GENERIC-20251209-v1.27.0.bin') res.end(image);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/resources/firmware/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('firmware catalogue', () => {
  it('names the official downloads per board', () => {
    const e = catalogueEntries('RPI_PICO_W');
    expect(e[0].url).toBe(`${FIRMWARE_BASE_URL}RPI_PICO_W-20251209-v1.27.0.uf2`);
    expect(catalogueEntries('ESP32_GENERIC_S3')[0].fileName).toBe('ESP32_GENERIC_S3-20251209-v1.27.0.bin');
    expect(() => catalogueEntries('NOPE')).toThrow(/no catalogue images for board NOPE/);
  });

  it('downloads once, then works offline from the cache, verifying the SHA-256 each time', async () => {
    const cache = new FirmwareCache(path.join(dir, 'cache'));
    const entry = catalogueEntries('ESP32_GENERIC', base)[0];
    const first = await cache.get(entry, { expectedSha256: sha });
    expect(first.fromCache).toBe(false);
    expect(first.sha256).toBe(sha);
    const before = requests;
    // Offline: a fetch that always fails.
    const offline = new FirmwareCache(path.join(dir, 'cache'), () => Promise.reject(new Error('getaddrinfo ENOTFOUND micropython.org')));
    const again = await offline.get(entry);
    expect(again.fromCache).toBe(true);
    expect(Buffer.compare(Buffer.from(again.bytes), image)).toBe(0);
    expect(requests).toBe(before);
    // A damaged cache file is refused before it reaches a board.
    fs.appendFileSync(path.join(dir, 'cache', entry.fileName), 'x');
    await expect(offline.get(entry)).rejects.toMatchObject({ kind: 'checksum' });
  });

  it('refuses a download whose hash is not the expected one, and says when offline with no cache', async () => {
    const cache = new FirmwareCache(path.join(dir, 'cache2'));
    const entry = catalogueEntries('ESP32_GENERIC', base)[0];
    await expect(cache.get(entry, { expectedSha256: '0'.repeat(64) })).rejects.toMatchObject({ kind: 'checksum' });
    expect(cache.cached(entry)).toBe(false);
    const offline = new FirmwareCache(path.join(dir, 'cache3'), () => Promise.reject(new Error('offline')));
    await expect(offline.get(entry)).rejects.toThrow(/not in the cache/);
  });

  it('checks a picked local file against a given hash', () => {
    const f = path.join(dir, 'local.bin');
    fs.writeFileSync(f, image);
    expect(loadLocalFirmware(f, sha).sha256).toBe(sha);
    expect(() => loadLocalFirmware(f, 'ab'.repeat(32))).toThrow(/not the expected/);
  });
});
