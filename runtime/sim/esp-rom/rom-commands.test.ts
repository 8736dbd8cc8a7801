// The simulated ROM's command handling, byte by byte (the end-to-end path
// through esptool-js is in runtime/flash/esp/esp-flash.test.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlashStore } from './flash-store.js';
import { CHIP_DETECT_MAGIC_REG, ESP32_MAGIC, OP, ROM_ERR, RomCommands } from './rom-commands.js';
import { SlipDecoder, slipEncode } from './slip.js';

let dir: string;
let flash: FlashStore;
let rom: RomCommands;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-rom-'));
  flash = new FlashStore(path.join(dir, 'flash.bin'), 64 * 1024);
  rom = new RomCommands(flash, { runApp: () => undefined, changeBaud: () => undefined });
});
afterEach(() => {
  flash.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function request(op: number, data: Uint8Array, chk = 0): Uint8Array {
  const p = new Uint8Array(8 + data.length);
  const v = new DataView(p.buffer);
  p[1] = op;
  v.setUint16(2, data.length, true);
  v.setUint32(4, chk, true);
  p.set(data, 8);
  return p;
}
const words = (...w: number[]) => {
  const b = new Uint8Array(w.length * 4);
  w.forEach((x, i) => new DataView(b.buffer).setUint32(i * 4, x >>> 0, true));
  return b;
};
const status = (r: Uint8Array) => [r[r.length - 4], r[r.length - 3]];
const value = (r: Uint8Array) => new DataView(r.buffer, r.byteOffset).getUint32(4, true);
const xorSum = (d: Uint8Array) => d.reduce((a, b) => a ^ b, 0xef);

describe('simulated ESP32 ROM commands', () => {
  it('answers SYNC eight times and reads the chip magic', async () => {
    const sync = await rom.handle(request(OP.SYNC, Uint8Array.of(0x07, 0x07, 0x12, 0x20, ...new Array(32).fill(0x55))));
    expect(sync).toHaveLength(8);
    const [magic] = await rom.handle(request(OP.READ_REG, words(CHIP_DETECT_MAGIC_REG)));
    expect(value(magic)).toBe(ESP32_MAGIC);
  });

  it('writes blocks in order, refuses a bad checksum and a skipped block, and reports MD5 as the ROM does', async () => {
    const block = Uint8Array.from({ length: 1024 }, (_, i) => i & 0xff);
    const data = (seq: number) => new Uint8Array([...words(block.length, seq, 0, 0), ...block]);
    expect(status((await rom.handle(request(OP.FLASH_BEGIN, words(2048, 2, 1024, 0x1000, 0))))[0])).toEqual([0, 0]);
    expect(status((await rom.handle(request(OP.FLASH_DATA, data(0), xorSum(block) ^ 1)))[0])).toEqual([1, ROM_ERR.BAD_CHECKSUM]);
    expect(status((await rom.handle(request(OP.FLASH_DATA, data(1), xorSum(block))))[0])).toEqual([1, ROM_ERR.FAILED]);
    expect(status((await rom.handle(request(OP.FLASH_DATA, data(0), xorSum(block))))[0])).toEqual([0, 0]);
    expect(status((await rom.handle(request(OP.FLASH_DATA, data(1), xorSum(block))))[0])).toEqual([0, 0]);
    const [md5] = await rom.handle(request(OP.SPI_FLASH_MD5, words(0x1000, 2048, 0, 0)));
    expect(Buffer.from(md5.subarray(8, 40)).toString('ascii')).toBe(flash.md5(0x1000, 2048));
    expect(Buffer.compare(flash.read(0x1400, 1024), Buffer.from(block))).toBe(0);
  });

  it('answers a command it does not know (GET_SECURITY_INFO, RAM loads) as the ESP32 ROM does', async () => {
    const [r] = await rom.handle(request(0x14, new Uint8Array(0)));
    expect(status(r)).toEqual([1, ROM_ERR.INVALID_MESSAGE]);
    const [m] = await rom.handle(request(OP.MEM_BEGIN, words(0, 0, 0, 0)));
    expect(status(m)).toEqual([1, ROM_ERR.INVALID_MESSAGE]);
  });

  it('frames with SLIP escapes both ways', () => {
    const got: Uint8Array[] = [];
    const dec = new SlipDecoder((p) => got.push(p));
    const pkt = Uint8Array.of(1, 0xc0, 2, 0xdb, 3);
    const wire = slipEncode(pkt);
    expect([...wire]).toEqual([0xc0, 1, 0xdb, 0xdc, 2, 0xdb, 0xdd, 3, 0xc0]);
    dec.push(Uint8Array.of(0x41, 0x42)); // boot chatter before any frame is dropped
    dec.push(wire.subarray(0, 4));
    dec.push(wire.subarray(4));
    expect(got.map((p) => [...p])).toEqual([[...pkt]]);
  });
});
