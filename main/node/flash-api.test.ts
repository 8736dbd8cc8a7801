// The IDE's flash calls end to end: a firmware file on disk, flashed by
// esptool-js onto the simulated ESP32's ROM bootloader over a real socat pty
// (see runtime/flash/esp/esp-flash.test.ts for the DTR/RTS stand-in).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESP32_DEVKITC } from '../../runtime/sim/common/profiles/esp32-devkitc.js';
import { serveEspSimOnPty, type EspSimPtyServer } from '../../runtime/sim/esp-rom/esp-sim-pty.js';
import { makeEspImage } from '../../runtime/flash/testing/esp-test-image.js';
import { validateCall, type FlashProgressInfo, type MoteEvents } from '../common/api.js';
import { flashApi, type FlashApi } from './flash-api.js';

let dir: string;
let server: EspSimPtyServer;
let api: FlashApi;
const progress: FlashProgressInfo[] = [];
const released: string[] = [];
let onProgress: (p: FlashProgressInfo) => void = () => undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-flashapi-'));
  server = await serveEspSimOnPty({ ptyPath: path.join(dir, 'ttyESP'), filesDir: path.join(dir, 'board', 'files'), profile: ESP32_DEVKITC });
  api = flashApi({
    dataDir: path.join(dir, 'data'),
    emit: (event, payload) => {
      if (event !== 'flashProgress') return;
      const p = payload as MoteEvents['flashProgress'];
      progress.push(p);
      onProgress(p);
    },
    releasePort: async (port) => void released.push(port),
  });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

function firmwareFile(name: string, image: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, image);
  return file;
}

describe('flashFirmware', () => {
  it('flashes a 256 KB image onto the simulated ESP32, progress reaching 100%, verified by MD5', async () => {
    const image = makeEspImage(256 * 1024, 0, 11);
    progress.length = 0;
    const r = await api.flashFirmware({ port: server.ptyPath, file: firmwareFile('fw.bin', image), erase: false });
    expect(released).toEqual([server.ptyPath]);
    expect(r.chip).toBe('ESP32');
    expect(r.bytes).toBe(image.length);
    expect(r.md5).toBe(md5(image));
    expect(md5(server.chip.flash.read(0x1000, image.length))).toBe(md5(image));
    expect(r.banner).toMatch(/^MicroPython .*ESP32/);
    const writes = progress.filter((p) => p.phase === 'writing' && p.total);
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.at(-1)!.done).toBe(writes.at(-1)!.total);
    expect(progress.at(-1)!.phase).toBe('done');
  });

  it('reports a cancelled flash when cancelFlash is called mid-write, and can flash again after', async () => {
    onProgress = (p) => {
      if (p.phase === 'writing' && p.total && p.done! > p.total / 4) void api.cancelFlash();
    };
    try {
      const err = await api.flashFirmware({ port: server.ptyPath, file: firmwareFile('big.bin', makeEspImage(512 * 1024, 0, 3)), erase: false }).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'cancelled', message: 'flashing was cancelled' });
    } finally {
      onProgress = () => undefined;
    }
    const small = makeEspImage(16 * 1024, 0, 5);
    const r = await api.flashFirmware({ port: server.ptyPath, file: firmwareFile('small.bin', small), erase: false });
    expect(r.md5).toBe(md5(small));
  });

  it('says clearly when the file cannot be read, before touching the port', async () => {
    released.length = 0;
    await expect(api.flashFirmware({ port: server.ptyPath, file: path.join(dir, 'missing.bin'), erase: false })).rejects.toThrow(/cannot read .*missing\.bin/);
    await expect(api.flashFirmware({ port: server.ptyPath, file: 'catalogue:NOPE.bin', erase: false })).rejects.toThrow(/not in the firmware catalogue/);
    expect(released).toEqual([]);
  });

  it('refuses malformed requests at the API boundary', () => {
    expect(validateCall('flashFirmware', [{ port: '', file: 'a.bin', erase: false }])).toBe('port is empty');
    expect(validateCall('flashFirmware', [{ port: '/dev/ttyUSB0', file: 'a.bin' }])).toMatch(/port, file, erase/);
    expect(validateCall('flashFirmware', [{ port: '/dev/ttyUSB0', file: 'a\0.bin', erase: false }])).toBe('file contains a NUL byte');
    expect(validateCall('flashFirmware', [{ port: '/dev/ttyUSB0', file: 'a.bin', erase: false }])).toBeNull();
  });
});

describe('flashCatalogue', () => {
  it('lists the official images per board, none cached in a fresh data folder', async () => {
    const list = await api.flashCatalogue();
    const esp32 = list.find((e) => e.board === 'ESP32_GENERIC' && e.version === '1.27.0');
    expect(esp32).toMatchObject({ kind: 'esp', cached: false, url: expect.stringMatching(/^https:\/\/micropython\.org\/.*ESP32_GENERIC-\d{8}-v1\.27\.0\.bin$/) });
    expect(list.some((e) => e.kind === 'uf2' && e.board === 'RPI_PICO')).toBe(true);
  });
});
