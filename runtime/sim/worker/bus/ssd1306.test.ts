// The SSD1306 model against the datasheet's command set: what the glass shows
// after the bytes a driver sends.
import { describe, expect, it } from 'vitest';
import { Ssd1306 } from './ssd1306.js';

const INIT = [0xae, 0x20, 0x00, 0x40, 0xa1, 0xa8, 63, 0xc8, 0xd3, 0x00, 0xda, 0x12, 0xd5, 0x80, 0xd9, 0xf1, 0xdb, 0x30, 0x81, 0xff, 0xa4, 0xa6, 0x8d, 0x14, 0xaf];

/** One command per message behind 0x80, as the common MicroPython driver sends them. */
function commands(d: Ssd1306, ...cmds: number[]): void {
  for (const c of cmds) {
    d.start();
    d.write(Uint8Array.of(0x80, c));
    d.stop();
  }
}

function data(d: Ssd1306, bytes: ArrayLike<number>): void {
  d.start();
  d.write(Uint8Array.from([0x40, ...Array.from(bytes)]));
  d.stop();
}

function lit(d: Ssd1306, x: number, y: number): boolean {
  return ((d.pixels()[y * 16 + (x >> 3)] >> (7 - (x & 7))) & 1) === 1;
}

/** A page-layout frame (MONO_VLSB) with pixel (x, y) set for each pair. */
function frame(points: Array<[number, number]>): Uint8Array {
  const f = new Uint8Array(1024);
  for (const [x, y] of points) f[(y >> 3) * 128 + x] |= 1 << (y & 7);
  return f;
}

function initialised(): Ssd1306 {
  const d = new Ssd1306('i2c0');
  commands(d, ...INIT);
  return d;
}

describe('SSD1306 model', () => {
  it('starts dark and off, and lights up only after display on with the charge pump', () => {
    const d = new Ssd1306('i2c0');
    expect(d.view().on).toBe(false);
    commands(d, 0xaf);
    expect(d.view().on).toBe(false); // no charge pump: a module's glass stays dark
    commands(d, 0x8d, 0x14);
    expect(d.view()).toMatchObject({ on: true, width: 128, height: 64, address: 0x3c, bus: 'i2c0', kind: 'ssd1306' });
  });

  it('shows a full horizontal-mode frame upright in MONO_HLSB', () => {
    const d = initialised();
    const pts: Array<[number, number]> = [[0, 0], [127, 0], [0, 63], [127, 63], [64, 37], [3, 9]];
    commands(d, 0x21, 0, 127, 0x22, 0, 7);
    data(d, frame(pts));
    for (const [x, y] of pts) expect(lit(d, x, y)).toBe(true);
    const count = [...d.pixels()].reduce((n, b) => n + b.toString(2).replace(/0/g, '').length, 0);
    expect(count).toBe(pts.length);
  });

  it('keeps command parameters across messages and parses Co=0 command streams', () => {
    const d = new Ssd1306('i2c0');
    d.start();
    d.write(Uint8Array.of(0x00, 0x81)); // contrast command, parameter in the next message
    d.stop();
    d.start();
    d.write(Uint8Array.of(0x00, 0x42, 0xa7, 0x8d, 0x14, 0xaf));
    d.stop();
    expect(d.view()).toMatchObject({ contrast: 0x42, inverted: true, on: true });
  });

  it('mixes command and data bytes with Co=1 control bytes in one message', () => {
    const d = initialised();
    d.start();
    // command 0x21 0 127 one byte at a time, then a data byte
    d.write(Uint8Array.of(0x80, 0x21, 0x80, 5, 0x80, 5, 0x80, 0x22, 0x80, 2, 0x80, 2, 0xc0, 0xff));
    d.stop();
    for (let y = 16; y < 24; y++) expect(lit(d, 5, y)).toBe(true);
    expect(lit(d, 6, 16)).toBe(false);
  });

  it('wraps horizontal addressing inside the column and page window', () => {
    const d = initialised();
    commands(d, 0x21, 10, 11, 0x22, 1, 2);
    data(d, [1, 2, 4, 8, 16]); // 4 fill the window, the fifth wraps to (10, page 1)
    expect(d.ram[1 * 128 + 10]).toBe(16);
    expect(d.ram[1 * 128 + 11]).toBe(2);
    expect(d.ram[2 * 128 + 10]).toBe(4);
    expect(d.ram[2 * 128 + 11]).toBe(8);
  });

  it('walks pages first in vertical addressing', () => {
    const d = initialised();
    commands(d, 0x20, 0x01, 0x21, 0, 127, 0x22, 0, 7);
    data(d, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let p = 0; p < 8; p++) expect(d.ram[p * 128]).toBe(p + 1);
    expect(d.ram[1]).toBe(9);
  });

  it('positions with B0-B7 and the column nibbles in page addressing, wrapping within the page', () => {
    const d = initialised();
    commands(d, 0x20, 0x02, 0xb3, 0x0e, 0x17); // page 3, column 0x7E
    data(d, [0xaa, 0xbb, 0xcc]);
    expect(d.ram[3 * 128 + 126]).toBe(0xaa);
    expect(d.ram[3 * 128 + 127]).toBe(0xbb);
    expect(d.ram[3 * 128 + 0]).toBe(0xcc);
    expect(d.ram[4 * 128 + 0]).toBe(0);
  });

  it('turns the picture 180 degrees with A0/C0 (rotate) and shifts it with the start line', () => {
    const d = initialised();
    commands(d, 0x21, 0, 127, 0x22, 0, 7);
    data(d, frame([[0, 0]]));
    commands(d, 0xa0, 0xc0);
    expect(lit(d, 127, 63)).toBe(true);
    expect(lit(d, 0, 0)).toBe(false);
    commands(d, 0xa1, 0xc8, 0x40 | 8); // RAM row 8 now at the top
    data(d, []);
    commands(d, 0x21, 0, 0, 0x22, 1, 1);
    data(d, [1]);
    expect(lit(d, 0, 0)).toBe(true); // RAM (0, 8)
    expect(lit(d, 0, 56)).toBe(true); // RAM (0, 0) wrapped to the bottom
  });

  it('leaves rows past a smaller multiplex ratio dark, and lights everything with A5', () => {
    const d = initialised();
    commands(d, 0x21, 0, 127, 0x22, 0, 7);
    data(d, new Uint8Array(1024).fill(0xff));
    commands(d, 0xa8, 31);
    expect(lit(d, 0, 31)).toBe(true);
    expect(lit(d, 0, 32)).toBe(false);
    commands(d, 0xa8, 63, 0xae);
    expect(d.view().on).toBe(false);
    commands(d, 0xaf);
    data(d, []);
    commands(d, 0x21, 0, 127, 0x22, 0, 7);
    data(d, new Uint8Array(1024));
    commands(d, 0xa5);
    expect(d.pixels().every((b) => b === 0xff)).toBe(true);
  });

  it('counts changes so the worker knows when to post a new view', () => {
    let marks = 0;
    const d = new Ssd1306('i2c0', 0x3c, () => marks++);
    const v0 = d.version;
    commands(d, 0xaf);
    expect(d.version).toBeGreaterThan(v0);
    expect(marks).toBe(1);
  });
});
