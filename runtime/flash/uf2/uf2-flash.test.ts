// UF2 flashing for rp2 boards.
//
// Stand-ins, because no Pico is attached here: the "UF2 drive" is a plain
// folder holding an INFO_UF2.TXT (a file-system stand-in for the mass-storage
// drive a board in BOOTSEL mode shows), and the test makes that folder appear
// when it sees `machine.bootloader()` reach the simulated board over the pty.
// The simulated board on the pty stands for the MicroPython port coming back.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PICO_W } from '../../sim/common/profiles/pico-w.js';
import { serveSimOnPty } from '../../sim/node/sim-pty.js';
import { FlashError } from '../flash-errors.js';
import { findUf2Drives, parseInfoUf2 } from './uf2-drive.js';
import { checkUf2ForBoard, makeUf2, readUf2, UF2_FAMILY } from './uf2-file.js';
import { flashUf2 } from './uf2-flash.js';

let dir: string;
let media: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-uf2-'));
  media = path.join(dir, 'media');
  fs.mkdirSync(media);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function mountDrive(boardId: string, model: string): string {
  const d = path.join(media, boardId);
  fs.mkdirSync(d);
  fs.writeFileSync(path.join(d, 'INFO_UF2.TXT'), `UF2 Bootloader v3.0\r\nModel: ${model}\r\nBoard-ID: ${boardId}\r\n`);
  return d;
}

const payload = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31) & 0xff);

describe('UF2 files and drives', () => {
  it('reads the family ids and refuses a file for another chip', () => {
    const rp2350 = readUf2(makeUf2(payload(4096), UF2_FAMILY.RP2350_ARM_S));
    expect(rp2350.blocks).toBe(16);
    expect(rp2350.payloadBytes).toBe(4096);
    expect(checkUf2ForBoard(rp2350, 'RP2350')).toBe('RP2350');
    expect(() => checkUf2ForBoard(rp2350, 'RPI-RP2')).toThrow(/built for RP2350-ARM-S, but the board is an RP2040/);
    expect(checkUf2ForBoard(readUf2(makeUf2(payload(512), UF2_FAMILY.RP2040)), 'RPI-RP2')).toBe('RP2040');
    expect(() => readUf2(new Uint8Array(700))).toThrow(/not a UF2 file/);
  });

  it('parses INFO_UF2.TXT', () => {
    expect(parseInfoUf2('UF2 Bootloader v3.0\r\nModel: Raspberry Pi RP2\r\nBoard-ID: RPI-RP2\r\n')).toEqual({ boardId: 'RPI-RP2', model: 'Raspberry Pi RP2' });
    mountDrive('RP2350', 'Raspberry Pi RP2350');
    expect(findUf2Drives([media]).map((d) => d.boardId)).toEqual(['RP2350']);
  });

  it('copies onto a mounted drive after checking the family, with progress', async () => {
    const drive = mountDrive('RPI-RP2', 'Raspberry Pi RP2');
    const image = makeUf2(payload(300 * 1024), UF2_FAMILY.RP2040);
    const seen: number[] = [];
    const r = await flashUf2({ image, mountRoots: [media], returnPort: null, onProgress: (p) => p.phase === 'copying' && seen.push(p.done!) });
    expect(r.chip).toBe('RP2040');
    expect(Buffer.compare(fs.readFileSync(path.join(drive, 'firmware.uf2')), image)).toBe(0);
    expect(seen.at(-1)).toBe(image.length);
  });

  it('refuses a wrong-chip UF2 and copies nothing', async () => {
    const drive = mountDrive('RPI-RP2', 'Raspberry Pi RP2');
    const err = await flashUf2({ image: makeUf2(payload(1024), UF2_FAMILY.RP2350_ARM_S), mountRoots: [media], returnPort: null }).catch((e: unknown) => e);
    expect((err as FlashError).kind).toBe('wrong-chip');
    expect(fs.existsSync(path.join(drive, 'firmware.uf2'))).toBe(false);
  });

  it('asks the running MicroPython for BOOTSEL, waits for the drive, copies, and reads the banner back', async () => {
    let heard = '';
    let mounted = false;
    const server = await serveSimOnPty({
      ptyPath: path.join(dir, 'ttyACM0'),
      filesDir: path.join(dir, 'files'),
      profile: PICO_W,
      front: (board) => ({
        onData: (l) => board.onData(l),
        write: (d) => {
          heard += Buffer.from(d).toString('latin1');
          // Stand-in for the board re-enumerating as a drive.
          if (!mounted && heard.includes('machine.bootloader()\x04')) {
            mounted = true;
            mountDrive('RPI-RP2', 'Raspberry Pi RP2');
          }
          return board.write(d);
        },
      }),
    });
    try {
      const image = makeUf2(payload(64 * 1024), UF2_FAMILY.RP2040);
      const r = await flashUf2({ image, port: server.ptyPath, mountRoots: [media], timeoutMs: 10000 });
      expect(mounted).toBe(true);
      expect(r.drive.boardId).toBe('RPI-RP2');
      expect(fs.readFileSync(path.join(r.drive.dir, 'firmware.uf2')).length).toBe(image.length);
      expect(r.banner).toMatch(/^MicroPython .*RP2040/);
    } finally {
      await server.close();
    }
  });

  it('says how to get a drive when there is none and no port', async () => {
    await expect(flashUf2({ image: makeUf2(payload(512), UF2_FAMILY.RP2040), mountRoots: [media] })).rejects.toThrow(/hold BOOTSEL/);
  });
});
