// The W25Q16 model behind its chip select, against the datasheet's
// instruction table: ID, write enable, page program on CS rise, erase, BUSY.
import { describe, expect, it } from 'vitest';
import { SpiBus, type SpiFormat } from './spi-bus.js';
import { FLASH_JEDEC_ID, SpiFlash } from './spi-flash.js';

const MODE0: SpiFormat = { mode: 0, bits: 8, lsbFirst: false };
const CS = 5;

function setup() {
  const flash = new SpiFlash(CS);
  const bus = new SpiBus([flash]);
  let t = 0;
  /** One CS-low frame, as a program does: cs(0); transfers; cs(1). */
  const frame = (...parts: number[][]) => {
    bus.pinChanged(CS, 0, t);
    const replies = parts.map((p) => [...bus.transfer(Uint8Array.from(p), MODE0, t)]);
    bus.pinChanged(CS, 1, t);
    return replies;
  };
  return { flash, bus, frame, tick: (ms: number) => (t += ms) };
}

const addr = (a: number) => [(a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff];

describe('SPI flash model (W25Q16JV)', () => {
  it('answers the JEDEC ID, also when the command and the read are separate transfers', () => {
    const { frame } = setup();
    expect(frame([0x9f, 0, 0, 0])[0].slice(1)).toEqual([...FLASH_JEDEC_ID]);
    expect(frame([0x9f], [0, 0, 0])[1]).toEqual([...FLASH_JEDEC_ID]);
  });

  it('stays silent while deselected', () => {
    const { bus } = setup();
    expect([...bus.transfer(Uint8Array.of(0x9f, 0, 0, 0), MODE0, 0)]).toEqual([0xff, 0xff, 0xff, 0xff]);
  });

  it('programs a page only after write enable, when CS rises, and reads it back', () => {
    const { frame, tick, flash } = setup();
    frame([0x02, ...addr(0x1000)], [1, 2, 3]);
    expect(flash.byteAt(0x1000)).toBe(0xff); // WEL was not set
    frame([0x06]);
    expect(frame([0x05, 0])[0][1]).toBe(0x02); // WEL
    frame([0x02, ...addr(0x1000)], [0x11, 0x22, 0x33]);
    expect(frame([0x05, 0])[0][1] & 0x01).toBe(1); // BUSY while programming
    tick(1);
    expect(frame([0x05, 0])[0][1]).toBe(0x00); // done: BUSY and WEL clear
    expect(frame([0x03, ...addr(0x0fff)], [0, 0, 0, 0, 0])[1]).toEqual([0xff, 0x11, 0x22, 0x33, 0xff]);
  });

  it('only clears bits when programming, wraps within the 256-byte page, and erases a 4 KiB sector to FF', () => {
    const { frame, tick, flash } = setup();
    frame([0x06]);
    frame([0x02, ...addr(0x20fe), 0xf0, 0x0f, 0x55]);
    tick(1);
    expect([flash.byteAt(0x20fe), flash.byteAt(0x20ff), flash.byteAt(0x2000), flash.byteAt(0x2100)]).toEqual([0xf0, 0x0f, 0x55, 0xff]);
    frame([0x06]);
    frame([0x02, ...addr(0x20fe), 0x3c]);
    tick(1);
    expect(flash.byteAt(0x20fe)).toBe(0x30);
    frame([0x06]);
    frame([0x20, ...addr(0x2abc)]);
    expect(frame([0x03, ...addr(0x20fe), 0])[0][4]).toBe(0xff); // busy: reads ignored
    tick(45);
    expect(flash.byteAt(0x20fe)).toBe(0xff);
    expect(flash.byteAt(0x2000)).toBe(0xff);
  });

  it('sees bit-reversed bytes with LSB first and nothing in SPI modes 1 and 2', () => {
    const { bus } = setup();
    bus.pinChanged(CS, 0, 0);
    const lsb = [...bus.transfer(Uint8Array.of(0xf9, 0, 0, 0), { mode: 0, bits: 8, lsbFirst: true }, 0)]; // 0x9F reversed
    expect(lsb.slice(1)).toEqual(FLASH_JEDEC_ID.map((b) => parseInt(b.toString(2).padStart(8, '0').split('').reverse().join(''), 2)));
    bus.pinChanged(CS, 1, 0);
    bus.pinChanged(CS, 0, 0);
    expect([...bus.transfer(Uint8Array.of(0x9f, 0, 0, 0), { mode: 1, bits: 8, lsbFirst: false }, 0)]).toEqual([0xff, 0xff, 0xff, 0xff]);
  });
});
