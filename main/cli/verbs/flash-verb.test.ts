// `mote flash` in-process through main(), against the simulated ESP32's ROM
// bootloader on a real pty. Stand-in: DTR/RTS reach the simulated chip over
// the socket beside its pty, since a pty cannot carry modem lines.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEspImage } from '../../../runtime/flash/testing/esp-test-image.js';
import { ESP32_DEVKITC } from '../../../runtime/sim/common/profiles/esp32-devkitc.js';
import { serveEspSimOnPty, type EspSimPtyServer } from '../../../runtime/sim/esp-rom/esp-sim-pty.js';
import { main } from '../mote.js';
import { capture } from '../test-cli-io.js';

let dir: string;
let server: EspSimPtyServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-flashcli-'));
  server = await serveEspSimOnPty({ ptyPath: path.join(dir, 'ttyUSB0'), filesDir: path.join(dir, 'board', 'files'), profile: ESP32_DEVKITC });
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('mote flash', () => {
  it('flashes an ESP32 image, shows progress, and prints the new banner', async () => {
    const file = path.join(dir, 'ESP32_GENERIC.bin');
    fs.writeFileSync(file, makeEspImage(128 * 1024, 0));
    const c = capture();
    expect(await main(['flash', '--port', server.ptyPath, file], c.io)).toBe(0);
    expect(c.stdout()).toMatch(/Wrote 131072 bytes to the ESP32 at 0x1000 in [\d.]+ s; MD5 [0-9a-f]{32} verified\.\nMicroPython .*ESP32/);
    expect(c.stderr()).toMatch(/writing 100%/);
  });

  it('refuses an image for another chip with exit code 1', async () => {
    const file = path.join(dir, 'ESP32_GENERIC_C3.bin');
    fs.writeFileSync(file, makeEspImage(16 * 1024, 5));
    const c = capture();
    expect(await main(['flash', '--port', server.ptyPath, file], c.io)).toBe(1);
    expect(c.stderr()).toMatch(/built for ESP32-C3, but the board is an ESP32/);
  });

  it('rehearses on a simulated ESP32 kept in the data folder', async () => {
    const file = path.join(dir, 'ESP32_GENERIC-r.bin');
    fs.writeFileSync(file, makeEspImage(32 * 1024, 0, 9));
    const c = capture();
    const dataDir = path.join(dir, 'data');
    expect(await main(['--data-dir', dataDir, 'flash', '--rehearse', file], c.io)).toBe(0);
    expect(c.stdout()).toMatch(/Wrote 32768 bytes to the ESP32 at 0x1000.*verified\.\nMicroPython /s);
    const flashed = fs.readFileSync(path.join(dataDir, 'boards', 'sim-esp32', 'flash.bin'));
    expect(Buffer.compare(flashed.subarray(0x1000, 0x1000 + 32768), fs.readFileSync(file))).toBe(0);
  });

  it('needs a port for a .bin', async () => {
    const file = path.join(dir, 'x.bin');
    fs.writeFileSync(file, makeEspImage(4096, 0));
    const c = capture();
    expect(await main(['flash', file], c.io)).toBe(2);
    expect(c.stderr()).toMatch(/needs --port/);
  });
});
