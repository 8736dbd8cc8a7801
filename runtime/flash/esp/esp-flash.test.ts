// esptool-js end to end against the simulated ESP32's ROM bootloader, over a
// real socat pty opened by the real `serialport` package.
//
// Stand-in: a pty carries no DTR/RTS (TIOCMSET fails with ENOTTY), so the
// reset-into-download sequence reaches the simulated chip through the Unix
// socket beside its pty (runtime/sim/esp-rom/modem-lines.ts). Every byte of
// the SLIP protocol still crosses the pty.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESP32_DEVKITC } from '../../sim/common/profiles/esp32-devkitc.js';
import { serveSimOnPty } from '../../sim/node/sim-pty.js';
import { serveEspSimOnPty, type EspSimPtyServer } from '../../sim/esp-rom/esp-sim-pty.js';
import { OP } from '../../sim/esp-rom/rom-commands.js';
import { FlashError } from '../flash-errors.js';
import type { FlashProgress } from '../progress.js';
import { makeEspImage } from '../testing/esp-test-image.js';
import { flashEsp } from './esp-flash.js';

let dir: string;
let server: EspSimPtyServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-espflash-'));
  server = await serveEspSimOnPty({ ptyPath: path.join(dir, 'ttyESP'), filesDir: path.join(dir, 'board', 'files'), profile: ESP32_DEVKITC });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

describe('flashing the simulated ESP32 with esptool-js', () => {
  it('writes a 1 MB image at 0x1000, verified by MD5, then boots MicroPython', async () => {
    const image = makeEspImage(1024 * 1024, 0);
    const seen: FlashProgress[] = [];
    const r = await flashEsp({ port: server.ptyPath, image, baud: 921600, onProgress: (p) => seen.push(p) });
    expect(r.chip).toBe('ESP32');
    expect(r.offset).toBe(0x1000);
    expect(r.md5).toBe(md5(image));
    // The board's flash file holds exactly the image where the ROM boots it from.
    expect(md5(server.chip.flash.read(0x1000, image.length))).toBe(md5(image));
    expect(server.chip.rom.counts.get(OP.FLASH_DEFL_DATA)).toBeGreaterThan(0);
    expect(server.chip.rom.counts.get(OP.SPI_FLASH_MD5)).toBe(1);
    expect(r.banner).toMatch(/^MicroPython .*ESP32/);
    expect(server.chip.mode).toBe('app');
    const writes = seen.filter((p) => p.phase === 'writing' && p.total);
    expect(writes.at(-1)!.done).toBe(writes.at(-1)!.total);
    expect(seen.map((p) => p.phase)).toEqual(expect.arrayContaining(['connecting', 'detecting', 'writing', 'verifying', 'resetting', 'booting', 'done']));
  });

  it('writes uncompressed too', async () => {
    const image = makeEspImage(64 * 1024, 0, 7);
    const before = server.chip.rom.counts.get(OP.FLASH_DATA) ?? 0;
    const r = await flashEsp({ port: server.ptyPath, image, compress: false, baud: 115200, connectAfter: false });
    expect(md5(server.chip.flash.read(0x1000, image.length))).toBe(r.md5);
    expect((server.chip.rom.counts.get(OP.FLASH_DATA) ?? 0) - before).toBe(64);
  });

  it('erases the whole flash first with --erase (the ROM erases what FLASH_BEGIN names)', async () => {
    // Something old far past the image, as a filesystem would be.
    server.chip.flash.write(0x300000, Buffer.from('old littlefs block'));
    const image = makeEspImage(16 * 1024, 0, 4);
    const seen: string[] = [];
    const r = await flashEsp({ port: server.ptyPath, image, erase: true, connectAfter: false, onProgress: (p) => seen.push(p.phase) });
    expect(seen).toContain('erasing');
    expect(server.chip.flash.read(0x300000, 18).every((b) => b === 0xff)).toBe(true);
    expect(md5(server.chip.flash.read(0x1000, image.length))).toBe(r.md5);
  });

  it('refuses an image built for another chip before writing anything', async () => {
    const before = new Map(server.chip.rom.counts);
    const err = await flashEsp({ port: server.ptyPath, image: makeEspImage(32 * 1024, 9), connectAfter: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlashError);
    expect((err as FlashError).kind).toBe('wrong-chip');
    expect((err as FlashError).message).toMatch(/built for ESP32-S3, but the board is an ESP32/);
    expect(server.chip.rom.counts.get(OP.FLASH_DEFL_BEGIN)).toBe(before.get(OP.FLASH_DEFL_BEGIN));
  });

  it('refuses a file that is not an ESP image', async () => {
    await expect(flashEsp({ port: server.ptyPath, image: new Uint8Array(4096) })).rejects.toMatchObject({ kind: 'bad-image' });
  });

  it('reports a cancelled flash at once, mid-write', async () => {
    const ac = new AbortController();
    const err = await flashEsp({
      port: server.ptyPath,
      image: makeEspImage(512 * 1024, 0, 3),
      baud: 115200,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'writing' && p.total && p.done! > p.total / 4) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect((err as FlashError).kind).toBe('cancelled');
  });

  it('says the port is busy when another program holds it', async () => {
    const { SerialLink } = await import('../../node/serial-link.js');
    const other = await SerialLink.open({ path: server.ptyPath });
    try {
      await expect(flashEsp({ port: server.ptyPath, image: makeEspImage(4096, 0) })).rejects.toMatchObject({ kind: 'port-busy' });
    } finally {
      await other.close();
    }
  });
});

describe('flashing errors from the wire', () => {
  it('reports an interrupted flash when the board goes away mid-write', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-espcut-'));
    const s = await serveEspSimOnPty({ ptyPath: path.join(d, 'ttyESP'), filesDir: path.join(d, 'files'), profile: ESP32_DEVKITC });
    let cut: Promise<void> | null = null;
    try {
      const err = await flashEsp({
        port: s.ptyPath,
        image: makeEspImage(512 * 1024, 0, 5),
        baud: 115200,
        onProgress: (p) => {
          if (!cut && p.phase === 'writing' && p.total && p.done! > p.total / 3) cut = s.close();
        },
      }).catch((e: unknown) => e);
      expect((err as FlashError).kind).toBe('interrupted');
      expect((err as FlashError).message).toMatch(/stopped at \d+ of \d+ bytes/);
    } finally {
      await (cut ?? s.close());
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('explains how to enter the bootloader when nothing answers', async () => {
    // A plain simulated board (no ROM front, no modem lines): like a board whose auto-reset circuit is missing.
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-espnone-'));
    const s = await serveSimOnPty({ ptyPath: path.join(d, 'tty'), filesDir: path.join(d, 'files') });
    try {
      const err = await flashEsp({ port: s.ptyPath, image: makeEspImage(4096, 0), attempts: 1 }).catch((e: unknown) => e);
      expect((err as FlashError).kind).toBe('no-bootloader');
      expect((err as FlashError).message).toMatch(/Hold the BOOT button/);
    } finally {
      await s.close();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
